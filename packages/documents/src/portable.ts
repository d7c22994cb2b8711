// What runs in Node and in browsers alike; index.ts and index.browser.ts add each one's loading and encoding.
export type { Bounds, OcrPageResult, PageForFormat } from './page-result.js';
export { boundsOf } from './page-result.js';
export type {
  DocumentPage,
  DocumentPageFailure,
  DocumentPageOutcome,
  DocumentReadOptions,
  LoadDocument,
  PageReader,
} from './ocr-document.js';
export { readDocument } from './ocr-document.js';
export type { PdfPage, PdfReader, PdfReadOptions } from './pdf/read-pdf.js';
export { openPdf } from './pdf/read-pdf.js';
export { parsePageRanges } from './pdf/page-ranges.js';
export type { PdfErrorCode } from './pdf/pdf-errors.js';
export {
  InvalidPdfError,
  PageRangeError,
  PdfEncryptedError,
  PdfPageError,
  UnsupportedPageImageError,
} from './pdf/pdf-errors.js';
export { toPlainText } from './formats/plain-text.js';
export type { HocrOptions } from './formats/hocr.js';
export { toHocr } from './formats/hocr.js';
export type { AltoOptions } from './formats/alto.js';
export { toAlto } from './formats/alto.js';
export { toTsv, TSV_COLUMNS } from './formats/tsv.js';
export type { SearchablePdfOptions, SearchablePdfPage, SearchablePdfReport } from './formats/searchable-pdf.js';
export { pictureType, toSearchablePdf } from './formats/searchable-pdf.js';
