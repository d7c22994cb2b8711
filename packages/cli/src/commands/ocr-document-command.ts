import { writeFile } from 'node:fs/promises';
import { isPolyinferError } from '@polyinfer/core';
import type { DocumentPage, OcrPageResult, PageReader, SearchablePdfPage } from '@polyinfer/documents';
import {
  encodePagePicture,
  ocrDocument,
  pictureType,
  toAlto,
  toHocr,
  toPlainText,
  toSearchablePdf,
  toTsv,
} from '@polyinfer/documents';
import type { CliIo } from '../cli-io.js';

/** What `polyinfer ocr --format` writes. */
export const OCR_FORMATS = ['text', 'json', 'hocr', 'alto', 'tsv', 'pdf'] as const;
export type OcrFormat = (typeof OCR_FORMATS)[number];

export interface DocumentOutputOptions {
  /** `report`: the human-readable page report `polyinfer ocr` prints for images (its default). */
  format: OcrFormat | 'report';
  out?: string;
  dpi?: number;
  pages?: string;
  password?: string;
  /** Pages read at once (the reader's workers). */
  inFlight?: number;
}

/** One page as `--json` prints it: where it came from, its text, blocks, lines and words. */
export function pageJson(page: OcrPageResult, extra: object): object {
  const round = (v: number): number => Math.round(v * 10000) / 10000;
  return {
    image: page.source,
    page: page.page,
    ...(page.hasTextLayer === undefined ? {} : { hasTextLayer: page.hasTextLayer }),
    width: page.width,
    height: page.height,
    text: page.text,
    lines: page.lines.map((l) => ({ text: l.text, confidence: round(l.confidence), box: l.box })),
    blocks: page.blocks.map((b) => ({
      box: b.box,
      lines: b.lines.map((l) => ({
        text: l.text,
        confidence: round(l.confidence),
        box: l.box,
        words: l.words.map((w) => ({ text: w.text, confidence: round(w.confidence), box: w.box })),
      })),
    })),
    ...extra,
  };
}

/**
 * OCR of images and PDFs page by page, written as one document in `format`: text and JSON as each page is read
 * (JSON: one object per page), hOCR, ALTO, TSV and PDF when all pages are (a PDF needs `out`). A page that fails is
 * reported and the others still run. Returns the exit code.
 */
export async function ocrDocumentCommand(
  ocr: PageReader,
  inputs: readonly string[],
  options: DocumentOutputOptions,
  io: CliIo,
  describe: { json: (page: OcrPageResult) => object; report: (page: OcrPageResult) => string },
): Promise<number> {
  const { format } = options;
  const streamed = format === 'text' || format === 'json' || format === 'report';
  const pages: OcrPageResult[] = [];
  const pictures: SearchablePdfPage[] = [];
  const chunks: string[] = [];
  let failures = 0;
  let first = true;
  const emit = (text: string): void => {
    if (options.out) chunks.push(text);
    else io.out(text);
  };
  for (const input of inputs) {
    try {
      const reading = ocrDocument(ocr, input, {
        ...(options.dpi === undefined ? {} : { dpi: options.dpi }),
        ...(options.pages === undefined ? {} : { pages: options.pages }),
        ...(options.password === undefined ? {} : { password: options.password }),
        ...(options.inFlight === undefined ? {} : { inFlight: options.inFlight }),
      });
      for await (const outcome of reading) {
        if (outcome.error) {
          failures++;
          report(io, format, outcome.source, outcome.page, outcome.error, emit);
          continue;
        }
        if (outcome.result.hasTextLayer)
          io.err(
            `polyinfer: ${outcome.source}, page ${outcome.page} already has a text layer (read by OCR all the same)\n`,
          );
        if (format === 'json') emit(`${JSON.stringify(pageJson(outcome.result, describe.json(outcome.result)))}\n`);
        else if (format === 'report') emit(describe.report(outcome.result));
        else if (format === 'text') {
          emit(`${first ? '' : '\f'}${toPlainText([outcome.result])}`);
          first = false;
        } else if (format === 'pdf') pictures.push(await pictureOf(outcome));
        else pages.push(outcome.result);
      }
    } catch (error) {
      failures++;
      report(io, format, input, undefined, error as Error, emit);
    }
  }
  if (!streamed) {
    if (format === 'pdf') {
      const written = await toSearchablePdf(pictures);
      await writeFile(options.out as string, written.bytes);
      if (written.replacedCharacters > 0)
        io.err(
          `polyinfer: ${written.replacedCharacters} characters outside the PDF text layer's Latin font are "?" in ${options.out}\n`,
        );
    } else {
      // One document keeps its page numbers; pages of several inputs are numbered through, in order.
      const oneSource = new Set(pages.map((p) => p.source)).size <= 1;
      const renumbered = oneSource ? pages : pages.map((p, i) => ({ ...p, page: i + 1 }));
      emit(format === 'hocr' ? toHocr(renumbered) : format === 'alto' ? toAlto(renumbered) : toTsv(renumbered));
    }
  }
  if (options.out && format !== 'pdf') await writeFile(options.out, chunks.join(''));
  return failures > 0 ? 1 : 0;
}

async function pictureOf(page: DocumentPage): Promise<SearchablePdfPage> {
  const { picture, result } = page;
  if ('bytes' in picture && pictureType(picture.bytes)) return { result, image: picture.bytes };
  if ('pixels' in picture) return { result, image: await encodePagePicture(picture.pixels), dpi: picture.dpi };
  // Another image format (WebP, TIFF…): the decoded pixels are not kept, so the page is encoded from its file again.
  const { decodeImage } = await import('@polyinfer/preprocess');
  return { result, image: await encodePagePicture(await decodeImage(picture.bytes)) };
}

function report(
  io: CliIo,
  format: DocumentOutputOptions['format'],
  image: string,
  page: number | undefined,
  error: Error,
  emit: (text: string) => void,
): void {
  const code = isPolyinferError(error) ? error.code : 'INTERNAL';
  if (format === 'json')
    emit(
      `${JSON.stringify({ image, ...(page === undefined ? {} : { page }), error: { code, message: error.message } })}\n`,
    );
  // A page error's message names its document and page already.
  io.err(`polyinfer: ${page === undefined || !error.message.includes(image) ? `${image}: ` : ''}${error.message}\n`);
}
