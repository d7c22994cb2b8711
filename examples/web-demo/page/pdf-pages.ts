import type { OcrResult, WorkerOcrPipeline } from '@polyinfer/models';
import { encodePagePicture, ocrDocument } from '@polyinfer/documents';

/** A PDF page read: its result and a picture of the page for the preview. */
export interface ReadPage {
  page: number;
  result?: OcrResult;
  error?: string;
  previewUrl?: string;
}

/** pdf.js's worker, served beside the demo by the rig's server (pdfjs-dist's legacy build). */
const PDF_WORKER = '/pdfjs/pdf.worker.mjs';

/**
 * Reads a PDF page by page — pdf.js renders each on this page's thread (a scan at its picture's own resolution), the
 * worker reads it — and hands each page to `onPage` as soon as it is read. A page that fails is reported, and the
 * next one still runs; a PDF that cannot be opened (encrypted, broken) throws its typed error.
 */
export async function readPdfPages(
  file: Blob,
  pipeline: WorkerOcrPipeline,
  onPage: (page: ReadPage) => void,
): Promise<number> {
  let pages = 0;
  for await (const outcome of ocrDocument(pipeline, file, { workerSrc: PDF_WORKER })) {
    pages++;
    if (outcome.error) {
      onPage({ page: outcome.page, error: `${outcome.error.name}: ${outcome.error.message}` });
      continue;
    }
    const { picture } = outcome;
    const bytes = 'pixels' in picture ? await encodePagePicture(picture.pixels) : picture.bytes;
    const type = 'pixels' in picture ? 'image/jpeg' : 'application/octet-stream';
    onPage({
      page: outcome.page,
      result: outcome.result,
      previewUrl: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type })),
    });
  }
  return pages;
}
