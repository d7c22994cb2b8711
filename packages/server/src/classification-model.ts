import { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { ClassificationResult } from '@polyinfer/models/classification';
import type { WireTensor } from './served-model.js';
import { ImageServedModel } from './image-served-model.js';

/** An image classifier as one v2 model: the top k classes, best first, as probabilities (FP32 [k]) and indices (INT32 [k]). */
export class ClassificationModel extends ImageServedModel<ClassificationResult> {
  readonly platform = 'polyinfer_classification_pipeline';
  readonly outputs: readonly V2TensorMetadata[] = [
    { name: 'scores', datatype: 'FP32', shape: [-1] },
    { name: 'classes', datatype: 'INT32', shape: [-1] },
  ];

  protected tensorsOf({ classes }: ClassificationResult): WireTensor[] {
    const k = classes.length;
    return [
      {
        name: 'scores',
        datatype: 'FP32',
        shape: [k],
        tensor: new Tensor(
          'float32',
          Float32Array.from(classes, (c) => c.score),
          [k],
        ),
      },
      {
        name: 'classes',
        datatype: 'INT32',
        shape: [k],
        tensor: new Tensor(
          'int32',
          Int32Array.from(classes, (c) => c.index),
          [k],
        ),
      },
    ];
  }
}
