export * from './portable.js';
export { ocrDocument } from './ocr-document.node.js';
export { encodePagePicture } from './page-picture.js';
