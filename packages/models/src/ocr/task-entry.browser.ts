// @polyinfer/models/ocr in browsers: the OCR task alone (model files from URLs and Cache Storage; a Web Worker).
export * from './task-entry-portable.js';
export { createOcrPipeline } from './create-ocr-pipeline.browser.js';
export type { ServeOcrOptions } from '../web/serve-ocr-in-worker.js';
export { serveOcrInWorker } from '../web/serve-ocr-in-worker.js';
export type { WorkerLike } from '../web/ocr-worker-client.js';
export { OcrWorkerClient, WorkerOcrPipeline, WorkerTaskPipeline } from '../web/ocr-worker-client.js';
