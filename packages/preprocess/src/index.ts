export * from './portable.js';
export type { DecodeOptions, ImageInput } from './decode-image.js';
export { decodeImage } from './decode-image.js';
export { resizeImage } from './resize-image.js';
