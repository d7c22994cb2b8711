import type { RgbImage } from './rgb-image.js';

/**
 * What an image can be given as: a file path (Node) or URL (browser), encoded bytes (PNG, JPEG, WebP, …), pixels
 * already decoded, or in browsers a Blob/File, ImageData or ImageBitmap.
 */
export type ImageInput = string | Uint8Array | RgbImage | Blob | ImageData | ImageBitmap;

export interface DecodeOptions {
  /** Refuse images with more pixels than this (decompression bombs, mistakes). Default 100 megapixels. */
  maxPixels?: number;
  /** What transparent pixels become. Default white, the page colour of most documents. */
  background?: { r: number; g: number; b: number };
}

export const DEFAULT_MAX_PIXELS = 100_000_000;

export function isRgbImage(input: unknown): input is RgbImage {
  return (
    typeof input === 'object' &&
    input !== null &&
    !(input instanceof Uint8Array) &&
    'data' in input &&
    'width' in input &&
    'height' in input &&
    (input as RgbImage).data instanceof Uint8Array &&
    !('colorSpace' in input)
  );
}

/** RGBA → RGB, compositing each pixel over the background by its alpha. */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array, background = { r: 255, g: 255, b: 255 }): Uint8Array {
  const pixels = rgba.length / 4;
  const out = new Uint8Array(pixels * 3);
  const bg = [background.r, background.g, background.b];
  for (let i = 0, p = 0, o = 0; i < pixels; i++, p += 4, o += 3) {
    const alpha = rgba[p + 3] as number;
    // Opaque pixels (all of them once drawn over the background) are copied as they are: the blend below gives the same.
    if (alpha === 255) {
      out[o] = rgba[p] as number;
      out[o + 1] = rgba[p + 1] as number;
      out[o + 2] = rgba[p + 2] as number;
      continue;
    }
    const a = alpha / 255;
    for (let c = 0; c < 3; c++) out[o + c] = Math.round((rgba[p + c] as number) * a + (bg[c] as number) * (1 - a));
  }
  return out;
}
