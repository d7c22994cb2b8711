import type { DeviceStatus } from '@polyinfer/core';
import type { OcrModelProgress } from '../ocr/ocr-config.js';
import type { ErrorData, PortableOcrConfig } from '../workers/task-worker-protocol.js';
import type { OcrResult, StageInfo } from '../ocr/ocr-result.js';

/** What a page may hand the worker as an image: all structured-cloneable (an ImageBitmap is transferred). */
export type WorkerImageInput = string | Uint8Array | Blob | ImageBitmap | ImageData;

/** An OcrConfig that crosses to a Web Worker: no registry (the worker's own) and no callbacks (progress is relayed). */
export type WebWorkerOcrConfig = Omit<PortableOcrConfig, 'onModelProgress' | 'onPrepareModel'>;

export type ToWebWorker =
  | { type: 'probe'; id: number; backend: string; device: string }
  | { type: 'open'; id: number; config: WebWorkerOcrConfig; warmUpRuns?: number }
  | { type: 'run'; id: number; pipeline: number; input: WorkerImageInput }
  | { type: 'dispose'; id: number; pipeline: number };

export type FromWebWorker =
  | { type: 'progress'; id: number; progress: OcrModelProgress }
  | { type: 'probed'; id: number; probe: DeviceStatus }
  | { type: 'opened'; id: number; pipeline: number; stages: { det: StageInfo; cls?: StageInfo; rec: StageInfo } }
  | { type: 'result'; id: number; result: OcrResult }
  | { type: 'disposed'; id: number }
  | { type: 'error'; id: number; error: ErrorData };
