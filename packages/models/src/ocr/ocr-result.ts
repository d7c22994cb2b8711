import type { DeviceAttempt, Session, StepTimings } from '@polyinfer/core';
import type { QuadCorners } from '@polyinfer/preprocess/portable';

/** Corners in the input image as [x, y] pixels: top-left, top-right, bottom-right, bottom-left of the text as read. */
export type Box = QuadCorners;

/** A run of characters between spaces, with where it is on the page. */
export interface OcrWord {
  text: string;
  /** Mean probability of its characters. */
  confidence: number;
  box: Box;
}

/** One line of text as the page has it: the detector's boxes on one baseline, joined left to right by spaces. */
export interface OcrLine {
  text: string;
  /** Mean of its characters' probabilities. */
  confidence: number;
  box: Box;
  /** 180 when the angle classifier turned the line over. */
  angle: 0 | 180;
  words: OcrWord[];
}

/** Lines that belong together (a paragraph, a column's run of text, a receipt's items), in reading order. */
export interface OcrBlock {
  box: Box;
  lines: OcrLine[];
}

/**
 * How a page's text is assembled (as Tesseract's page segmentation modes): `auto` finds lines, columns and blocks;
 * `single-block` reads the page as one block of lines, row by row, never splitting columns; `sparse` returns each
 * detected box as its own line, in reading order (text scattered on a picture, labels, signs).
 */
export type OcrLayout = 'auto' | 'single-block' | 'sparse';

export interface OcrTimings {
  decode: number;
  detection: StepTimings;
  classification: StepTimings;
  recognition: StepTimings;
  total: number;
}

export interface OcrResult {
  width: number;
  height: number;
  /** The page's text blocks in reading order: columns one after the other, each block's lines top to bottom. */
  blocks: OcrBlock[];
  /** Every block's lines, flattened in reading order. */
  lines: OcrLine[];
  /** The lines joined by newlines, with a blank line between blocks. */
  text: string;
  timings: OcrTimings;
}

/** Where a stage runs: its model, backend and device, and the devices skipped on the way. */
export interface StageInfo {
  model: string;
  backend: string;
  device: string;
  skipped: readonly DeviceAttempt[];
}

export function stageInfo(model: string, session: Session): StageInfo {
  return { model, backend: session.backend, device: session.device, skipped: session.provenance.skipped };
}

export const zeroTimings = (): StepTimings => ({ preprocess: 0, inference: 0, decode: 0, total: 0 });

export function addTimings(into: StepTimings, t: StepTimings): void {
  into.preprocess += t.preprocess;
  into.inference += t.inference;
  into.decode += t.decode;
  into.total += t.total;
}
