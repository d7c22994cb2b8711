import { ImageNotFoundError } from '@polyinfer/preprocess/portable';
import type { DocumentPageOutcome, DocumentReadOptions, PageReader } from './ocr-document.js';
import { readDocument } from './ocr-document.js';

/**
 * OCR of a document in a browser, page by page as each is rendered: a PDF (a URL, a Blob or bytes) gives one result
 * per selected page, an image is page 1. pdf.js needs its worker there: pass `workerSrc`. See `readDocument`.
 */
export async function* ocrDocument(
  reader: PageReader,
  input: string | Uint8Array | Blob,
  options: DocumentReadOptions = {},
): AsyncGenerator<DocumentPageOutcome> {
  const bytes = input instanceof Blob ? new Uint8Array(await input.arrayBuffer()) : input;
  const source = options.source ?? (input instanceof Blob ? ((input as File).name ?? undefined) : undefined);
  yield* readDocument(reader, bytes, loadUrl, source === undefined ? options : { ...options, source });
}

async function loadUrl(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ImageNotFoundError(`${url} (${(error as Error).message})`);
  }
  if (!response.ok) throw new ImageNotFoundError(`${url} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}
