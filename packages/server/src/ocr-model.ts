import { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { OcrPipeline } from '@polyinfer/models';
import type { ServedModel, WireTensor } from './served-model.js';
import { checkImageRequest, IMAGE_INPUT, imageOf } from './image-request.js';

/**
 * The whole OCR pipeline as one v2 model: an encoded image (PNG/JPEG/WebP) in as BYTES [1]; each line's text
 * (BYTES [n]), confidence (FP32 [n]) and box (FP32 [n, 4, 2], image pixels, corners clockwise from top-left) out.
 */
export class OcrModel implements ServedModel {
  readonly version = '1';
  readonly platform = 'polyinfer_ocr_pipeline';
  readonly batchable = false;
  readonly inputs: readonly V2TensorMetadata[] = [IMAGE_INPUT];
  readonly outputs: readonly V2TensorMetadata[] = [
    { name: 'text', datatype: 'BYTES', shape: [-1] },
    { name: 'confidence', datatype: 'FP32', shape: [-1] },
    { name: 'box', datatype: 'FP32', shape: [-1, 4, 2] },
  ];

  constructor(
    readonly name: string,
    private readonly ocr: OcrPipeline,
  ) {}

  check(inputs: readonly WireTensor[]): void {
    checkImageRequest(this.name, inputs);
  }

  async infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    const result = await this.ocr.run(Buffer.from(imageOf(inputs)));
    const n = result.lines.length;
    const encoder = new TextEncoder();
    const all: WireTensor[] = [
      { name: 'text', datatype: 'BYTES', shape: [n], elements: result.lines.map((l) => encoder.encode(l.text)) },
      {
        name: 'confidence',
        datatype: 'FP32',
        shape: [n],
        tensor: new Tensor(
          'float32',
          Float32Array.from(result.lines, (l) => l.confidence),
          [n],
        ),
      },
      {
        name: 'box',
        datatype: 'FP32',
        shape: [n, 4, 2],
        tensor: new Tensor('float32', Float32Array.from(result.lines.flatMap((l) => l.box.flat())), [n, 4, 2]),
      },
    ];
    return outputs ? all.filter((t) => outputs.includes(t.name)) : all;
  }

  dispose(): Promise<void> {
    return this.ocr.dispose();
  }
}
