// Browser entry (the "browser" and default export conditions): no file system; models come from URLs.
export * from './portable.js';
export { createOcrPipeline } from './ocr/create-ocr-pipeline.browser.js';
