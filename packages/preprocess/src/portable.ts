// What runs anywhere (Node, browsers, workers): no sharp, no fs.
export type { RgbImage } from './rgb-image.js';
export { createRgbImage } from './rgb-image.js';
export type { PreprocessErrorCode } from './image-errors.js';
export { ImageDecodeError, ImageNotFoundError, ImageSizeError } from './image-errors.js';
export type { NormalizeOptions } from './image-to-tensor.js';
export { imageToTensor, writeChw } from './image-to-tensor.js';
export { Float32BufferPool } from './float32-buffer-pool.js';
export { ScratchBytes } from './scratch-bytes.js';
export type { LimitSideOptions, TargetSize } from './limit-side.js';
export { limitSideSize } from './limit-side.js';
export { resizeLinear } from './resize-linear.js';
export { cropImage } from './crop-image.js';
export type { Point, Quad, QuadCorners } from './quad.js';
export { mapQuad, quadCorners, rotateQuad } from './quad.js';
export { quadSize, solveHomography, warpQuad } from './perspective-warp.js';
export type { DecodeOptions, ImageInput } from './image-input.js';
export { rgbaToRgb } from './image-input.js';
export { isPdfBytes } from './pdf-sniff.js';
