import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';
import { rgbaToRgb } from './image-input.js';

/** Resizes to exactly width×height with the browser's image scaler (high-quality smoothing). */
export async function resizeImage(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (width === image.width && height === image.height) return image;
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba[j] = image.data[i] as number;
    rgba[j + 1] = image.data[i + 1] as number;
    rgba[j + 2] = image.data[i + 2] as number;
    rgba[j + 3] = 255;
  }
  const bitmap = await createImageBitmap(new ImageData(rgba, image.width, image.height), {
    resizeWidth: width,
    resizeHeight: height,
    resizeQuality: 'high',
  });
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return createRgbImage(rgbaToRgb(ctx.getImageData(0, 0, width, height).data), width, height);
}
