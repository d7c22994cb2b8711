// @polyinfer/models/ocr in Node: the OCR task alone (model files from npm packages, paths or the cache; worker threads).
export * from './task-entry-portable.js';
export { createOcrPipeline } from './create-ocr-pipeline.js';
export type { OcrWorkerPoolOptions } from '../workers/task-worker-pool.js';
export { OcrWorkerPool } from '../workers/task-worker-pool.js';
export type { PortableOcrConfig } from '../workers/task-worker-protocol.js';
