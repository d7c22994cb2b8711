import { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { ClassificationPipeline } from '@polyinfer/models/classification';
import type { ServedModel, WireTensor } from './served-model.js';
import { checkImageRequest, IMAGE_INPUT, imageOf } from './image-request.js';

/**
 * An image classifier as one v2 model: an encoded image (PNG/JPEG/WebP) in as BYTES [1]; the top k classes, best
 * first, out as their probabilities (FP32 [k]) and indices (INT32 [k]).
 */
export class ClassificationModel implements ServedModel {
  readonly version = '1';
  readonly platform = 'polyinfer_classification_pipeline';
  readonly batchable = false;
  readonly inputs: readonly V2TensorMetadata[] = [IMAGE_INPUT];
  readonly outputs: readonly V2TensorMetadata[] = [
    { name: 'scores', datatype: 'FP32', shape: [-1] },
    { name: 'classes', datatype: 'INT32', shape: [-1] },
  ];

  constructor(
    readonly name: string,
    private readonly classifier: ClassificationPipeline,
  ) {}

  check(inputs: readonly WireTensor[]): void {
    checkImageRequest(this.name, inputs);
  }

  async infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    const { classes } = await this.classifier.run(Buffer.from(imageOf(inputs)));
    const k = classes.length;
    const all: WireTensor[] = [
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
    return outputs ? all.filter((t) => outputs.includes(t.name)) : all;
  }

  dispose(): Promise<void> {
    return this.classifier.dispose();
  }
}
