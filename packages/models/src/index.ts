// Node entry: model files resolved from npm packages, paths or a download cache; sample images.
export * from './portable.js';
export { resolveModelFile, sha256OfFile } from './resolvers/resolve-model-file.js';
export { loadDictionary } from './ocr/load-dictionary.js';
export { createOcrPipeline } from './ocr/create-ocr-pipeline.js';
export type { BrowserOcrModels } from './web/prepare-browser-models.js';
export { prepareBrowserOcrModels } from './web/prepare-browser-models.js';
export type { OcrWorkerPoolOptions, TaskWorkerPoolOptions } from './workers/task-worker-pool.js';
export type { TaskWorkerInput } from './workers/task-worker-protocol.js';
export { createTaskWorkerPool, OcrWorkerPool, TaskWorkerPool } from './workers/task-worker-pool.js';
export type { PortableOcrConfig } from './workers/task-worker-protocol.js';
export {
  DEFAULT_SAMPLE_IMAGE,
  DOCUMENT_SAMPLES_DIR,
  documentSampleGroundTruth,
  sampleGroundTruth,
  SAMPLES_DIR,
} from './samples.js';
