import type { OcrConfig } from './ocr-config.js';
import type { OcrResult, StageInfo } from './ocr-result.js';

/** An OcrConfig that can cross to a worker thread: everything but the registry (the worker builds its own). */
export type PortableOcrConfig = Omit<OcrConfig, 'registry'>;

export interface WorkerInit {
  config: PortableOcrConfig;
  /** Modules the worker imports before it builds its pipeline: the backends to register (specifiers or file URLs). */
  backendModules: readonly string[];
}

export type ToWorker = { type: 'run'; id: number; input: string | Uint8Array } | { type: 'close' };

/** An error as data: typed polyinfer errors keep their code and details across the thread. */
export interface ErrorData {
  name: string;
  message: string;
  code?: string;
  details?: Record<string, unknown>;
}

export type FromWorker =
  | { type: 'ready'; stages: { det: StageInfo; cls?: StageInfo; rec: StageInfo } }
  | { type: 'failed'; error: ErrorData }
  | { type: 'result'; id: number; result: OcrResult }
  | { type: 'error'; id: number; error: ErrorData };
