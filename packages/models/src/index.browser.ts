// Browser entry (the "browser" and default export conditions): no file system; models come from URLs.
export * from './portable.js';
export { createOcrPipeline } from './ocr/create-ocr-pipeline.browser.js';
export type { CachedFetchOptions, ModelFetchProgress } from './web/cached-model-fetch.js';
export { fetchModelCached, MODEL_CACHE_NAME } from './web/cached-model-fetch.js';
export type { ServeOcrOptions } from './web/serve-ocr-in-worker.js';
export { serveOcrInWorker } from './web/serve-ocr-in-worker.js';
