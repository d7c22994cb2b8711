import { readFile } from 'node:fs/promises';
import { ImageNotFoundError } from '@polyinfer/preprocess/portable';
import type { DocumentPageOutcome, DocumentReadOptions, PageReader } from './ocr-document.js';
import { readDocument } from './ocr-document.js';

/**
 * OCR of a document, page by page as each is rendered: a PDF (a path or bytes) gives one result per selected page, an
 * image is page 1. See `readDocument`.
 */
export function ocrDocument(
  reader: PageReader,
  input: string | Uint8Array,
  options: DocumentReadOptions = {},
): AsyncGenerator<DocumentPageOutcome> {
  return readDocument(reader, input, loadFile, options);
}

async function loadFile(path: string): Promise<Uint8Array> {
  const bytes = await readFile(path).catch(() => undefined);
  if (bytes === undefined) throw new ImageNotFoundError(path);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
