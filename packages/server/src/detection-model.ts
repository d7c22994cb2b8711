import { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { DetectionResult } from '@polyinfer/models/detection';
import type { WireTensor } from './served-model.js';
import { ImageServedModel } from './image-served-model.js';

/**
 * A YOLO-family detector as one v2 model: per detection, best first, its box (FP32 [n, 4]: x1, y1, x2, y2 in image
 * pixels), score (FP32 [n]) and class id (INT32 [n]) out.
 */
export class DetectionModel extends ImageServedModel<DetectionResult> {
  readonly platform = 'polyinfer_detection_pipeline';
  readonly outputs: readonly V2TensorMetadata[] = [
    { name: 'boxes', datatype: 'FP32', shape: [-1, 4] },
    { name: 'scores', datatype: 'FP32', shape: [-1] },
    { name: 'classes', datatype: 'INT32', shape: [-1] },
  ];

  protected tensorsOf({ detections }: DetectionResult): WireTensor[] {
    const n = detections.length;
    return [
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
  }
}
