import { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { OcrResult } from '@polyinfer/models';
import type { WireTensor } from './served-model.js';
import { ImageServedModel } from './image-served-model.js';

/**
 * The whole OCR pipeline as one v2 model: each line's text (BYTES [n]), confidence (FP32 [n]) and box (FP32 [n, 4, 2],
 * image pixels, corners clockwise from top-left) out.
 */
export class OcrModel extends ImageServedModel<OcrResult> {
  readonly platform = 'polyinfer_ocr_pipeline';
  readonly outputs: readonly V2TensorMetadata[] = [
    { name: 'text', datatype: 'BYTES', shape: [-1] },
    { name: 'confidence', datatype: 'FP32', shape: [-1] },
    { name: 'box', datatype: 'FP32', shape: [-1, 4, 2] },
  ];

  protected tensorsOf(result: OcrResult): WireTensor[] {
    const n = result.lines.length;
    const encoder = new TextEncoder();
    return [
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
  }
}
