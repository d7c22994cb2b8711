import { isPolyinferError } from '@polyinfer/core';
import { ImageDecodeError, ImageNotFoundError, ImageSizeError } from './image-errors.js';
import type { DecodeOptions, ImageInput } from './image-input.js';
import { DEFAULT_MAX_PIXELS, isRgbImage, rgbaToRgb } from './image-input.js';
import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';

function checkSize(source: string, width: number, height: number, maxPixels: number): void {
  if (width === 0 || height === 0) throw new ImageSizeError(source, width, height, 'the image has no pixels');
  if (width * height > maxPixels) throw new ImageSizeError(source, width, height, `more than the limit of ${maxPixels} pixels`);
}

async function blobOf(input: string | Uint8Array | Blob): Promise<{ blob: Blob; source: string }> {
  if (input instanceof Blob) return { blob: input, source: (input as File).name ?? `<${input.size} bytes>` };
  if (input instanceof Uint8Array) {
    if (input.byteLength === 0) throw new ImageDecodeError('<0 bytes>', 'no bytes');
    return { blob: new Blob([input as Uint8Array<ArrayBuffer>]), source: `<${input.byteLength} bytes>` };
  }
  let response: Response;
  try {
    response = await fetch(input);
  } catch (error) {
    throw new ImageNotFoundError(`${input} (${(error as Error).message})`);
  }
  if (response.status === 404) throw new ImageNotFoundError(input);
  if (!response.ok) throw new ImageDecodeError(input, `HTTP ${response.status}`);
  return { blob: await response.blob(), source: input };
}

let scratch: OffscreenCanvasRenderingContext2D | null | undefined;
/** Above this many pixels the scratch canvas is shrunk again after use, so one large photo does not pin its memory. */
const SCRATCH_KEEP_PIXELS = 4_000_000;

/**
 * One canvas per realm for reading pixels back, resized to each image (which clears it): a new canvas and context
 * per image cost several ms in a worker. Safe to share: nothing awaits between drawing and reading back.
 */
function scratchContext(width: number, height: number): OffscreenCanvasRenderingContext2D | null {
  scratch ??= new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!scratch) return null;
  const canvas = scratch.canvas;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return scratch;
}

/**
 * Browser decoding with the page's own codecs (createImageBitmap, EXIF orientation applied) drawn on an
 * OffscreenCanvas over the background, read back as RGB. Same contract and errors as the Node (sharp) decoder.
 */
export async function decodeImage(input: ImageInput, options: DecodeOptions = {}): Promise<RgbImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (isRgbImage(input)) {
    const image = createRgbImage(input.data, input.width, input.height);
    checkSize('<pixels>', image.width, image.height, maxPixels);
    return image;
  }
  if (typeof ImageData !== 'undefined' && input instanceof ImageData) {
    checkSize('<ImageData>', input.width, input.height, maxPixels);
    return createRgbImage(rgbaToRgb(input.data, options.background), input.width, input.height);
  }
  let bitmap: ImageBitmap;
  let source = '<ImageBitmap>';
  if (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) bitmap = input;
  else {
    const { blob, source: name } = await blobOf(input as string | Uint8Array | Blob);
    source = name;
    try {
      bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    } catch (error) {
      throw new ImageDecodeError(source, `the browser cannot decode it (${(error as Error).message})`, error);
    }
  }
  try {
    checkSize(source, bitmap.width, bitmap.height, maxPixels);
    const ctx = scratchContext(bitmap.width, bitmap.height);
    if (!ctx) throw new ImageDecodeError(source, 'no 2D canvas context');
    const bg = options.background ?? { r: 255, g: 255, b: 255 };
    ctx.fillStyle = `rgb(${bg.r}, ${bg.g}, ${bg.b})`;
    ctx.fillRect(0, 0, bitmap.width, bitmap.height);
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    if (bitmap.width * bitmap.height > SCRATCH_KEEP_PIXELS) ctx.canvas.width = ctx.canvas.height = 1;
    return createRgbImage(rgbaToRgb(data), bitmap.width, bitmap.height, source);
  } catch (error) {
    if (isPolyinferError(error)) throw error;
    throw new ImageDecodeError(source, (error as Error).message, error);
  } finally {
    if (bitmap !== input) bitmap.close();
  }
}
