import { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { DetectionPipeline } from '@polyinfer/models/detection';
import type { ServedModel, WireTensor } from './served-model.js';
import { checkImageRequest, IMAGE_INPUT, imageOf } from './image-request.js';

/**
 * A YOLO-family detector as one v2 model: an encoded image (PNG/JPEG/WebP) in as BYTES [1]; per detection, best
 * first, its box (FP32 [n, 4]: x1, y1, x2, y2 in image pixels), score (FP32 [n]) and class id (INT32 [n]) out.
 */
export class DetectionModel implements ServedModel {
  readonly version = '1';
  readonly platform = 'polyinfer_detection_pipeline';
  readonly batchable = false;
  readonly inputs: readonly V2TensorMetadata[] = [IMAGE_INPUT];
  readonly outputs: readonly V2TensorMetadata[] = [
    { name: 'boxes', datatype: 'FP32', shape: [-1, 4] },
    { name: 'scores', datatype: 'FP32', shape: [-1] },
    { name: 'classes', datatype: 'INT32', shape: [-1] },
  ];

  constructor(
    readonly name: string,
    private readonly detector: DetectionPipeline,
  ) {}

  check(inputs: readonly WireTensor[]): void {
    checkImageRequest(this.name, inputs);
  }

  async infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    const { detections } = await this.detector.run(Buffer.from(imageOf(inputs)));
    const n = detections.length;
    const all: WireTensor[] = [
      {
        name: 'boxes',
        datatype: 'FP32',
        shape: [n, 4],
        tensor: new Tensor('float32', Float32Array.from(detections.flatMap((d) => d.box)), [n, 4]),
      },
      {
        name: 'scores',
        datatype: 'FP32',
        shape: [n],
        tensor: new Tensor(
          'float32',
          Float32Array.from(detections, (d) => d.score),
          [n],
        ),
      },
      {
        name: 'classes',
        datatype: 'INT32',
        shape: [n],
        tensor: new Tensor(
          'int32',
          Int32Array.from(detections, (d) => d.classId),
          [n],
        ),
      },
    ];
    return outputs ? all.filter((t) => outputs.includes(t.name)) : all;
  }

  dispose(): Promise<void> {
    return this.detector.dispose();
  }
}
