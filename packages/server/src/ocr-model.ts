import { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { OcrPipeline } from '@polyinfer/models';
import type { ServedModel, WireTensor } from './served-model.js';
import { ServerError } from './server-errors.js';

/** The one encoded image of a validated request (input "image", BYTES [1]). */
const imageOf = (inputs: readonly WireTensor[]): Uint8Array => ((inputs[0] as WireTensor & { elements: Uint8Array[] }).elements[0] as Uint8Array);

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

/**
 * The whole OCR pipeline as one v2 model: an encoded image (PNG/JPEG/WebP) in as BYTES [1]; each line's text
 * (BYTES [n]), confidence (FP32 [n]) and box (FP32 [n, 4, 2], image pixels, corners clockwise from top-left) out.
 */
export class OcrModel implements ServedModel {
  readonly version = '1';
  readonly platform = 'polyinfer_ocr_pipeline';
  readonly batchable = false;
  readonly inputs: readonly V2TensorMetadata[] = [{ name: 'image', datatype: 'BYTES', shape: [1] }];
  readonly outputs: readonly V2TensorMetadata[] = [
    { name: 'text', datatype: 'BYTES', shape: [-1] },
    { name: 'confidence', datatype: 'FP32', shape: [-1] },
    { name: 'box', datatype: 'FP32', shape: [-1, 4, 2] },
  ];

  constructor(
    readonly name: string,
    private readonly ocr: OcrPipeline,
  ) {}

  /** Only the formats the metadata promises are decoded; anything else is named and refused before it queues. */
  check(inputs: readonly WireTensor[]): void {
    const format = imageFormatOf(imageOf(inputs));
    if (!ACCEPTED_FORMATS.has(format)) {
      throw new ServerError('BAD_REQUEST', `input "image" of model ${this.name} is ${format === 'unknown' ? 'no image format it knows' : format}; it takes PNG, JPEG or WebP`, { format });
    }
  }

  async infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    const result = await this.ocr.run(Buffer.from(imageOf(inputs)));
    const n = result.lines.length;
    const encoder = new TextEncoder();
    const all: WireTensor[] = [
      { name: 'text', datatype: 'BYTES', shape: [n], elements: result.lines.map((l) => encoder.encode(l.text)) },
      { name: 'confidence', datatype: 'FP32', shape: [n], tensor: new Tensor('float32', Float32Array.from(result.lines, (l) => l.confidence), [n]) },
      { name: 'box', datatype: 'FP32', shape: [n, 4, 2], tensor: new Tensor('float32', Float32Array.from(result.lines.flatMap((l) => l.box.flat())), [n, 4, 2]) },
    ];
    return outputs ? all.filter((t) => outputs.includes(t.name)) : all;
  }

  dispose(): Promise<void> {
    return this.ocr.dispose();
  }
}
