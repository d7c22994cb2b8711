export * from './portable.js';
export { decodeImage } from './decode-image.js';
export { resizeImage } from './resize-image.js';
