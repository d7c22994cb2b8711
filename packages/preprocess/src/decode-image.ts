import { open, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { isPolyinferError } from '@polyinfer/core';
import { ImageDecodeError, ImageNotFoundError, ImageSizeError } from './image-errors.js';
import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';
import { isPdfBytes, PDF_IS_NOT_AN_IMAGE } from './pdf-sniff.js';

import type { DecodeOptions, ImageInput } from './image-input.js';
import { DEFAULT_MAX_PIXELS, isRgbImage } from './image-input.js';

/**
 * Decodes to 8-bit RGB in the image's upright orientation: EXIF rotation applied, alpha flattened onto the
 * background, grayscale and CMYK converted to sRGB. Every failure is a typed error naming the image.
 */
export async function decodeImage(input: ImageInput, options: DecodeOptions = {}): Promise<RgbImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (isRgbImage(input)) {
    const image = createRgbImage(input.data, input.width, input.height);
    if (image.width * image.height > maxPixels) {
      throw new ImageSizeError('<pixels>', image.width, image.height, `more than the limit of ${maxPixels} pixels`);
    }
    return image;
  }
  if (!(typeof input === 'string' || input instanceof Uint8Array)) {
    throw new ImageDecodeError(
      '<object>',
      'in Node an image is a path, bytes or decoded RGB pixels (Blob, ImageData and ImageBitmap are for browsers)',
    );
  }
  const source = typeof input === 'string' ? input : `<${input.byteLength} bytes>`;
  if (typeof input === 'string') {
    const info = await stat(input).catch(() => undefined);
    if (!info?.isFile()) throw new ImageNotFoundError(input);
  } else if (input.byteLength === 0) {
    throw new ImageDecodeError(source, 'no bytes');
  }
  if (isPdfBytes(typeof input === 'string' ? await headOf(input) : input))
    throw new ImageDecodeError(source, PDF_IS_NOT_AN_IMAGE);
  try {
    const pipeline = sharp(input, { failOn: 'error', limitInputPixels: false });
    const meta = await pipeline.metadata();
    const width = meta.autoOrient?.width ?? meta.width ?? 0;
    const height = meta.autoOrient?.height ?? meta.height ?? 0;
    if (width === 0 || height === 0) throw new ImageSizeError(source, width, height, 'the image has no pixels');
    if (width * height > maxPixels) {
      throw new ImageSizeError(source, width, height, `more than the limit of ${maxPixels} pixels`);
    }
    const { data, info } = await pipeline
      .rotate()
      .flatten({ background: options.background ?? { r: 255, g: 255, b: 255 } })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      throw new ImageDecodeError(source, `expected 3 channels after conversion, got ${info.channels}`);
    return createRgbImage(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      info.width,
      info.height,
      source,
    );
  } catch (error) {
    if (isPolyinferError(error)) throw error;
    throw new ImageDecodeError(source, (error as Error).message, error);
  }
}

async function headOf(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(8);
    await file.read(head, 0, head.length, 0);
    return head;
  } finally {
    await file.close();
  }
}
