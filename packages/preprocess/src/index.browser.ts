// Browser entry (the "browser" and default export conditions): canvas decoding and resizing, no sharp.
export * from './portable.js';
export { decodeImage } from './decode-image.browser.js';
export { resizeImage } from './resize-image.browser.js';
