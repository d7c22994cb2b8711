import { isPolyinferError } from '@polyinfer/core';
import { ImageDecodeError, ImageNotFoundError, ImageSizeError } from './image-errors.js';
import type { DecodeOptions, ImageInput } from './image-input.js';
import { DEFAULT_MAX_PIXELS, isRgbImage, rgbaToRgb } from './image-input.js';
import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';
import { ScratchBytes } from './scratch-bytes.js';
import { isPdfBytes, PDF_IS_NOT_AN_IMAGE } from './pdf-sniff.js';

function checkSize(source: string, width: number, height: number, maxPixels: number): void {
  if (width === 0 || height === 0) throw new ImageSizeError(source, width, height, 'the image has no pixels');
  if (width * height > maxPixels)
    throw new ImageSizeError(source, width, height, `more than the limit of ${maxPixels} pixels`);
}

/** The encoded bytes, read once: a File from an input element is read through the browser process each time. */
async function bytesOf(input: string | Uint8Array | Blob): Promise<{ bytes: Uint8Array<ArrayBuffer>; source: string }> {
  if (input instanceof Uint8Array) {
    const source = `<${input.byteLength} bytes>`;
    if (input.byteLength === 0) throw new ImageDecodeError(source, 'no bytes');
    return { bytes: input as Uint8Array<ArrayBuffer>, source };
  }
  let source: string;
  let body: Blob | Response;
  if (input instanceof Blob) {
    source = (input as File).name ?? `<${input.size} bytes>`;
    body = input;
  } else {
    source = input;
    try {
      body = await fetch(input);
    } catch (error) {
      throw new ImageNotFoundError(`${input} (${(error as Error).message})`);
    }
    if (body.status === 404) throw new ImageNotFoundError(input);
    if (!body.ok) throw new ImageDecodeError(input, `HTTP ${body.status}`);
  }
  try {
    return { bytes: new Uint8Array(await body.arrayBuffer()), source };
  } catch (error) {
    throw new ImageDecodeError(source, `cannot read it (${(error as Error).message})`, error);
  }
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

/** Formats whose frames come out of ImageDecoder as RGB(A). JPEG frames come as YUV: those go the canvas way. */
function rgbaFormatOf(head: Uint8Array): string | undefined {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 2) === 'BM') return 'image/bmp';
  return undefined;
}

const supportedTypes = new Map<string, Promise<boolean>>();
/**
 * The kept array RGBA is copied into out of ImageDecoder's frames (let go again after images over 4 MP, as the scratch
 * canvas). A decode awaits between the copy and reading it back, so each takes the array for itself: a decode that
 * finds it taken (several images at once) uses an array of its own.
 */
let idleRgba: ScratchBytes | undefined = new ScratchBytes(SCRATCH_KEEP_PIXELS * 4);

/**
 * The short way where the browser has WebCodecs' ImageDecoder: the frame is copied as RGBA into a kept array, with no
 * canvas and no fresh ImageData (in a Chromium worker, 1.5 ms for an 820×166 PNG in memory, against 10 ms for
 * createImageBitmap, drawImage and getImageData). Undefined wherever it does not apply — no ImageDecoder, a format it
 * gives as YUV, an EXIF orientation still to apply, a browser that cannot convert to RGBA, bytes it cannot read — and
 * the canvas way decides (and names any error).
 */
async function decodeWithImageDecoder(
  bytes: Uint8Array<ArrayBuffer>,
  source: string,
  maxPixels: number,
  background: DecodeOptions['background'],
): Promise<RgbImage | undefined> {
  if (typeof ImageDecoder === 'undefined') return undefined;
  const type = rgbaFormatOf(bytes.subarray(0, 12));
  if (type === undefined) return undefined;
  let supported = supportedTypes.get(type);
  if (supported === undefined)
    supportedTypes.set(type, (supported = ImageDecoder.isTypeSupported(type).catch(() => false)));
  if (!(await supported)) return undefined;
  let decoder: ImageDecoder | undefined;
  let frame: VideoFrame | undefined;
  const rgbaBytes = idleRgba ?? new ScratchBytes(SCRATCH_KEEP_PIXELS * 4);
  idleRgba = undefined;
  try {
    decoder = new ImageDecoder({ data: bytes, type });
    frame = (await decoder.decode({ frameIndex: 0 })).image;
    // Chromium reports an EXIF orientation as the frame's rotation and flip (newer WebCodecs): not applied yet.
    const oriented = frame as VideoFrame & { rotation?: number; flip?: boolean };
    if ((oriented.rotation ?? 0) !== 0 || oriented.flip === true) return undefined;
    const { displayWidth: width, displayHeight: height } = frame;
    checkSize(source, width, height, maxPixels);
    const rgbaCopy = { format: 'RGBA', colorSpace: 'srgb' } as const;
    if (
      frame.codedWidth !== width ||
      frame.codedHeight !== height ||
      frame.allocationSize(rgbaCopy) !== width * height * 4
    )
      return undefined;
    const rgba = rgbaBytes.take(width * height * 4);
    const [plane] = await frame.copyTo(rgba, rgbaCopy);
    if (plane === undefined || plane.offset !== 0 || plane.stride !== width * 4) return undefined;
    return createRgbImage(rgbaToRgb(rgba, background), width, height, source);
  } catch (error) {
    if (isPolyinferError(error)) throw error;
    return undefined;
  } finally {
    frame?.close();
    decoder?.close();
    rgbaBytes.trim();
    idleRgba = rgbaBytes;
  }
}

/**
 * Browser decoding with the page's own codecs: ImageDecoder where it applies (decodeWithImageDecoder), otherwise
 * createImageBitmap (EXIF orientation applied) drawn on an OffscreenCanvas over the background, read back as RGB.
 * Same contract and errors as the Node (sharp) decoder.
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
    const { bytes, source: name } = await bytesOf(input as string | Uint8Array | Blob);
    if (isPdfBytes(bytes)) throw new ImageDecodeError(name, PDF_IS_NOT_AN_IMAGE);
    source = name;
    const decoded = await decodeWithImageDecoder(bytes, source, maxPixels, options.background);
    if (decoded !== undefined) return decoded;
    try {
      bitmap = await createImageBitmap(new Blob([bytes]), { imageOrientation: 'from-image' });
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
