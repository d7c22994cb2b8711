import { ImageSizeError } from './image-errors.js';
import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';

/** The pixels of a rectangle inside an image, copied row by row (the rectangle must lie inside the image). */
export function cropImage(image: RgbImage, left: number, top: number, width: number, height: number): RgbImage {
  const inside =
    Number.isInteger(left) &&
    Number.isInteger(top) &&
    left >= 0 &&
    top >= 0 &&
    left + width <= image.width &&
    top + height <= image.height;
  if (!inside)
    throw new ImageSizeError(
      '<crop>',
      width,
      height,
      `the crop at (${left}, ${top}) does not lie inside the ${image.width}×${image.height} image`,
    );
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 3;
    out.set(image.data.subarray(from, from + width * 3), y * width * 3);
  }
  return createRgbImage(out, width, height);
}
