import { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/backend-remote';
import type { OcrPipeline } from '@polyinfer/models';
import type { ServedModel, WireTensor } from './served-model.js';
import { ServerError } from './server-errors.js';

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

  batchSizeOf(): number {
    return 1;
  }

  async infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    const image = inputs.find((i) => i.name === 'image');
    const unknown = inputs.filter((i) => i.name !== 'image').map((i) => i.name);
    if (unknown.length > 0) throw new ServerError('BAD_REQUEST', `model ${this.name} has one input, "image"; got also ${unknown.join(', ')}`, { unknown });
    if (!image) throw new ServerError('BAD_REQUEST', `model ${this.name} needs the input "image" (BYTES [1], an encoded PNG, JPEG or WebP)`);
    if (!('elements' in image) || image.elements.length !== 1) {
      throw new ServerError('BAD_REQUEST', `input "image" of model ${this.name} is BYTES [1] (one encoded image), got ${image.datatype} [${image.shape.join(', ')}]`, {
        datatype: image.datatype,
        shape: image.shape,
      });
    }
    const result = await this.ocr.run(Buffer.from(image.elements[0] as Uint8Array));
    const n = result.lines.length;
    const encoder = new TextEncoder();
    const all: WireTensor[] = [
      { name: 'text', datatype: 'BYTES', shape: [n], elements: result.lines.map((l) => encoder.encode(l.text)) },
      { name: 'confidence', datatype: 'FP32', shape: [n], tensor: new Tensor('float32', Float32Array.from(result.lines, (l) => l.confidence), [n]) },
      { name: 'box', datatype: 'FP32', shape: [n, 4, 2], tensor: new Tensor('float32', Float32Array.from(result.lines.flatMap((l) => l.box.flat())), [n, 4, 2]) },
    ];
    if (!outputs) return all;
    const missing = outputs.filter((o) => !all.some((t) => t.name === o));
    if (missing.length > 0) throw new ServerError('BAD_REQUEST', `model ${this.name} has no output ${missing.join(', ')}; its outputs are text, confidence, box`, { missing });
    return all.filter((t) => outputs.includes(t.name));
  }

  dispose(): Promise<void> {
    return this.ocr.dispose();
  }
}
