import { ImageSizeError } from './image-errors.js';

/** Decoded pixels: 8-bit RGB, interleaved, row-major, no padding. What every preprocessing step takes and gives. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export function createRgbImage(data: Uint8Array, width: number, height: number, source = '<pixels>'): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageSizeError(source, width, height, 'width and height must be positive integers');
  }
  if (data.length !== width * height * 3) {
    throw new ImageSizeError(source, width, height, `expected ${width * height * 3} RGB bytes, got ${data.length}`);
  }
  return { data, width, height };
}
