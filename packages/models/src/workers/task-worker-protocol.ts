import { isPolyinferError, PolyinferError } from '@polyinfer/core';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import type { OcrConfig } from '../ocr/ocr-config.js';

/** An OcrConfig that can cross to a worker thread: everything but the registry (the worker builds its own). */
export type PortableOcrConfig = Omit<OcrConfig, 'registry'>;

export interface WorkerInit {
  /** The task whose pipeline the worker opens (TASK_WORKERS: ocr, detect, classify). */
  task: string;
  /** The task's config, without a registry (the worker builds its own): it crosses the thread as structured data. */
  config: unknown;
  /** Modules the worker imports before it builds its pipeline: the backends to register (specifiers or file URLs). */
  backendModules: readonly string[];
}

/** What a worker reads: a path, encoded bytes, or decoded pixels (a rendered PDF page). */
export type TaskWorkerInput = string | Uint8Array | RgbImage;

export type ToWorker = { type: 'run'; id: number; input: TaskWorkerInput } | { type: 'close' };

/** An error as data: typed polyinfer errors keep their code and details across the thread. */
export interface ErrorData {
  name: string;
  message: string;
  code?: string;
  details?: Record<string, unknown>;
}

/** An error as data for postMessage. */
export function errorData(error: unknown): ErrorData {
  return isPolyinferError(error)
    ? { name: error.name, message: error.message, code: error.code, details: { ...error.details } }
    : {
        name: error instanceof Error ? error.name : 'Error',
        message: error instanceof Error ? error.message : String(error),
      };
}

/** The error an ErrorData stands for, on the caller's side: typed polyinfer errors keep their code and details. */
export function errorOf(data: ErrorData): Error {
  const error = data.code ? new PolyinferError(data.code, data.message, data.details ?? {}) : new Error(data.message);
  error.name = data.name;
  return error;
}

export type FromWorker =
  /** `info`: where the pipeline runs (OCR: its stages; the one-model tasks: backend and device). */
  | { type: 'ready'; info: unknown }
  | { type: 'failed'; error: ErrorData }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ErrorData };
