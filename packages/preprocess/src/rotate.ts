import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';

/** Turns an image upside down (a text line the angle classifier found at 180°). */
export function rotate180(image: RgbImage): RgbImage {
  const { data, width, height } = image;
  const out = new Uint8Array(data.length);
  const pixels = width * height;
  for (let i = 0; i < pixels; i++) {
    const j = (pixels - 1 - i) * 3;
    out[i * 3] = data[j] as number;
    out[i * 3 + 1] = data[j + 1] as number;
    out[i * 3 + 2] = data[j + 2] as number;
  }
  return createRgbImage(out, width, height);
}
