import { createCanvas } from '@napi-rs/canvas';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import { writeRgba } from './rgba-pixels.js';

/** A rendered page as JPEG bytes (quality 0–100, default 85), the picture a searchable PDF shows. */
export async function encodePagePicture(image: RgbImage, quality = 85): Promise<Uint8Array> {
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(image.width, image.height);
  writeRgba(image, pixels.data);
  context.putImageData(pixels, 0, 0);
  return new Uint8Array(await canvas.encode('jpeg', quality));
}
