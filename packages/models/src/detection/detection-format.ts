import { ModelOutputMismatchError } from '../decoders/single-output.js';

/**
 * How a YOLO-family model lays out its one output:
 * - `yolov8`: Ultralytics YOLOv8/v11, `[1, 4+C, N]` — per anchor cx, cy, w, h (input pixels) then C class scores;
 * - `yolov5`: YOLOv5/v7, `[1, N, 5+C]` — cx, cy, w, h, objectness, then C class scores;
 * - `end2end`: exports with NMS inside (YOLOv10, `nms=True`), `[1, N, 6]` — x1, y1, x2, y2, score, class.
 */
export type DetectionFormat = 'yolov8' | 'yolov5' | 'end2end';

export const DETECTION_FORMATS: readonly DetectionFormat[] = ['yolov8', 'yolov5', 'end2end'];

/**
 * The layout an output of these dims has. Channels-first when there are fewer rows than anchors (84 × 8400); six
 * columns read as end-to-end, because a one-class YOLOv5 (also six columns) is the rarer model: it says `format`.
 */
export function detectionFormatOf(dims: readonly number[]): DetectionFormat {
  const [batch, a, b] = dims;
  if (dims.length !== 3 || batch !== 1 || a === undefined || b === undefined) {
    throw new ModelOutputMismatchError(
      'YOLO detection',
      'an output of shape [1, 4+C, N], [1, N, 5+C] or [1, N, 6]',
      `[${dims.join(', ')}]`,
    );
  }
  if (a < b && a >= 5) return 'yolov8';
  if (b === 6) return 'end2end';
  if (b >= 6) return 'yolov5';
  throw new ModelOutputMismatchError(
    'YOLO detection',
    'an output of shape [1, 4+C, N], [1, N, 5+C] or [1, N, 6]',
    `[${dims.join(', ')}]`,
  );
}

/** Checks that dims fit a format the user named, so a wrong `format` is an error and not boxes out of noise. */
export function checkDetectionFormat(format: DetectionFormat, dims: readonly number[]): void {
  const [batch, a = 0, b = 0] = dims;
  const fits =
    dims.length === 3 && batch === 1 && (format === 'yolov8' ? a >= 5 : format === 'yolov5' ? b >= 6 : b === 6);
  const expected = { yolov8: '[1, 4+C, N]', yolov5: '[1, N, 5+C]', end2end: '[1, N, 6]' }[format];
  if (!fits)
    throw new ModelOutputMismatchError(
      `YOLO detection (${format})`,
      `an output of shape ${expected}`,
      `[${dims.join(', ')}]`,
    );
}
