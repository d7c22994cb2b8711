import type { DeviceStatus } from '@polyinfer/core';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import type { OcrModelProgress } from '../ocr/ocr-config.js';
import type { ErrorData, PortableOcrConfig } from '../workers/task-worker-protocol.js';

/**
 * What a page may hand the worker as an image: all structured-cloneable (an ImageBitmap is transferred). Decoded
 * pixels (`RgbImage`, a rendered PDF page) cross as they are and are checked in the worker like any other input.
 */
export type WorkerImageInput = string | Uint8Array | RgbImage | Blob | ImageBitmap | ImageData;

/** An OcrConfig that crosses to a Web Worker: no registry (the worker's own) and no callbacks (progress is relayed). */
export type WebWorkerOcrConfig = Omit<PortableOcrConfig, 'onModelProgress' | 'onPrepareModel'>;

export type ToWebWorker =
  | { type: 'probe'; id: number; backend: string; device: string }
  /** `task` (default 'ocr'): which pipeline to open (ocr, detect, classify); `config` is that task's, without a registry. */
  | {
      type: 'open';
      id: number;
      task?: string;
      config: WebWorkerOcrConfig | Record<string, unknown>;
      warmUpRuns?: number;
    }
  | { type: 'run'; id: number; pipeline: number; input: WorkerImageInput }
  | { type: 'dispose'; id: number; pipeline: number };

export type FromWebWorker =
  | { type: 'progress'; id: number; progress: OcrModelProgress }
  | { type: 'probed'; id: number; probe: DeviceStatus }
  /** `info`: where the pipeline runs (OCR: its stages; detection and classification: backend and device). */
  | { type: 'opened'; id: number; pipeline: number; info: unknown }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'disposed'; id: number }
  | { type: 'error'; id: number; error: ErrorData };
