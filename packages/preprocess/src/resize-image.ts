import sharp from 'sharp';
import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';

/** Resizes to exactly width×height (aspect ratio not kept), with libvips' linear reduction. */
export async function resizeImage(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (width === image.width && height === image.height) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return createRgbImage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
}
