import type { DeviceAttempt, Session, StepTimings } from '@polyinfer/core';
import type { QuadCorners } from '@polyinfer/preprocess/portable';

/** Corners in the input image as [x, y] pixels: top-left, top-right, bottom-right, bottom-left of the text as read. */
export type Box = QuadCorners;

export interface OcrLine {
  text: string;
  confidence: number;
  box: Box;
  /** 180 when the angle classifier turned the line over. */
  angle: 0 | 180;
}

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
  lines: OcrLine[];
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
