import type { RgbImage } from '@polyinfer/preprocess/portable';

/** An RGB image as opaque RGBA, the layout a canvas' ImageData takes (Node's and browsers' alike). */
export function writeRgba(image: RgbImage, rgba: Uint8ClampedArray): void {
  for (let i = 0, j = 0; j < image.data.length; i += 4, j += 3) {
    rgba[i] = image.data[j] as number;
    rgba[i + 1] = image.data[j + 1] as number;
    rgba[i + 2] = image.data[j + 2] as number;
    rgba[i + 3] = 255;
  }
}
