/** A box as its left, top, right and bottom edges, in pixels of the original image. */
export type BoxXyxy = [x1: number, y1: number, x2: number, y2: number];

export interface Detection {
  box: BoxXyxy;
  score: number;
  classId: number;
  /** The class's name from `labels`, or its id as a string when there are none. */
  label: string;
}

export interface DetectionTimings {
  decode: number;
  preprocess: number;
  inference: number;
  postprocess: number;
  total: number;
}

export interface DetectionResult {
  /** The decoded image's size (upright, as the boxes are measured). */
  width: number;
  height: number;
  /** Best score first. */
  detections: Detection[];
  timings: DetectionTimings;
}
