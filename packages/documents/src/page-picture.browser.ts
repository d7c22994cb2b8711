import type { RgbImage } from '@polyinfer/preprocess/portable';
import { writeRgba } from './rgba-pixels.js';

/** A rendered page as JPEG bytes (quality 0–100, default 85), the picture a searchable PDF shows; an OffscreenCanvas. */
export async function encodePagePicture(image: RgbImage, quality = 85): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas context to encode the page picture');
  const pixels = context.createImageData(image.width, image.height);
  writeRgba(image, pixels.data);
  context.putImageData(pixels, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: quality / 100 });
  return new Uint8Array(await blob.arrayBuffer());
}
