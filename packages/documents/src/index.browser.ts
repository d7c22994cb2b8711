export * from './portable.js';
export { ocrDocument } from './ocr-document.browser.js';
export { encodePagePicture } from './page-picture.browser.js';
