import type { OcrResult } from '@polyinfer/models';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import { isPdfBytes } from '@polyinfer/preprocess/portable';
import type { OcrPageResult } from './page-result.js';
import type { PdfPage, PdfReadOptions } from './pdf/read-pdf.js';
import { openPdf } from './pdf/read-pdf.js';

/** What reads one image — a location, encoded bytes or a rendered page's pixels: an OCR pipeline, a worker pool. */
export interface PageReader {
  run(input: string | Uint8Array | RgbImage): Promise<OcrResult>;
}

export interface DocumentReadOptions extends PdfReadOptions {
  /**
   * Pages being read at once (default 1): the next pages render while earlier ones are read, which pays with a
   * reader that runs several at once (an OcrWorkerPool: one per worker). Outcomes still come in page order.
   */
  inFlight?: number;
}

/** A page read, with the picture it was read from (a PDF page's pixels, or the image file's bytes). */
export interface DocumentPage {
  source: string;
  page: number;
  result: OcrPageResult;
  picture: { pixels: RgbImage; dpi: number } | { bytes: Uint8Array; dpi?: undefined };
  error?: undefined;
}

/** A page that could not be rendered or read; the document's other pages still come. */
export interface DocumentPageFailure {
  source: string;
  page: number;
  error: Error;
}

export type DocumentPageOutcome = DocumentPage | DocumentPageFailure;

/** Reads a document's bytes from where it is: a file in Node, a URL in browsers. */
export type LoadDocument = (location: string) => Promise<Uint8Array>;

/**
 * OCR of a document, page by page as each is rendered: a PDF (its location or bytes) gives one result per selected
 * page, any other file or bytes is an image, page 1. A PDF that cannot be opened throws (typed: encrypted, invalid, a
 * bad page range); a page that cannot be rendered or read is yielded as a failure and the next page still runs.
 */
export async function* readDocument(
  reader: PageReader,
  input: string | Uint8Array,
  load: LoadDocument,
  options: DocumentReadOptions = {},
): AsyncGenerator<DocumentPageOutcome> {
  const source = options.source ?? (typeof input === 'string' ? input : `<${input.byteLength} bytes>`);
  const bytes = typeof input === 'string' ? await load(input) : input;
  if (!isPdfBytes(bytes)) {
    try {
      // The bytes already read, not the location again (the outcome names the source).
      const result = await reader.run(bytes);
      yield { source, page: 1, result: { ...result, page: 1, source }, picture: { bytes } };
    } catch (error) {
      yield { source, page: 1, error: error as Error };
    }
    return;
  }
  const pdf = await openPdf(bytes, { ...options, source });
  const inFlight = Math.max(1, options.inFlight ?? 1);
  const reading: Promise<DocumentPageOutcome>[] = [];
  try {
    for await (const rendered of pdf.pages()) {
      reading.push(readPage(reader, rendered, source));
      if (reading.length >= inFlight) yield await (reading.shift() as Promise<DocumentPageOutcome>);
    }
    while (reading.length > 0) yield await (reading.shift() as Promise<DocumentPageOutcome>);
  } finally {
    // A consumer that stops early leaves pages being read: they settle (never rejecting) before the PDF closes.
    await Promise.all(reading);
    await pdf.close();
  }
}

async function readPage(reader: PageReader, rendered: PdfPage, source: string): Promise<DocumentPageOutcome> {
  if (rendered.error) return { source, page: rendered.page, error: rendered.error };
  const { page, image, dpi, hasTextLayer } = rendered;
  try {
    const result = await reader.run(image);
    return { source, page, result: { ...result, page, source, hasTextLayer }, picture: { pixels: image, dpi } };
  } catch (error) {
    return { source, page, error: error as Error };
  }
}
