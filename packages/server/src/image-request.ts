import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { WireTensor } from './served-model.js';
import { ServerError } from './server-errors.js';

/** The metadata of the one input an image task takes: an encoded image as BYTES [1]. */
export const IMAGE_INPUT: V2TensorMetadata = { name: 'image', datatype: 'BYTES', shape: [1] };

/** The one encoded image of a validated request (input "image", BYTES [1]). */
export const imageOf = (inputs: readonly WireTensor[]): Uint8Array =>
  (inputs[0] as WireTensor & { elements: Uint8Array[] }).elements[0] as Uint8Array;

const ACCEPTED_FORMATS = new Set(['PNG', 'JPEG', 'WebP']);

/** An encoded image's format from its signature (the first bytes), without decoding anything. */
export function imageFormatOf(bytes: Uint8Array): string {
  const starts = (...signature: number[]): boolean => signature.every((b, i) => bytes[i] === b);
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'PNG';
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP';
  if (ascii(0, 4) === 'GIF8') return 'GIF';
  if (ascii(0, 2) === 'BM') return 'BMP';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'TIFF';
  if (ascii(0, 5) === '%PDF-') return 'PDF';
  if (ascii(4, 12) === 'ftypavif' || ascii(4, 12) === 'ftypheic') return ascii(8, 12).toUpperCase();
  if (/^\s*<(\?xml|svg)/i.test(ascii(0, Math.min(64, bytes.byteLength)))) return 'SVG';
  return 'unknown';
}

/** Only the formats an image model's metadata promises are decoded; anything else is named and refused before it queues. */
export function checkImageRequest(model: string, inputs: readonly WireTensor[]): void {
  const format = imageFormatOf(imageOf(inputs));
  if (!ACCEPTED_FORMATS.has(format)) {
    throw new ServerError(
      'BAD_REQUEST',
      `input "image" of model ${model} is ${format === 'unknown' ? 'no image format it knows' : format}; it takes PNG, JPEG or WebP`,
      { format },
    );
  }
}
