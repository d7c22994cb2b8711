import type { ImageTaskTimings } from '../image-task/image-task-input.js';

/** A box as its left, top, right and bottom edges, in pixels of the original image. */
export type BoxXyxy = [x1: number, y1: number, x2: number, y2: number];

export interface Detection {
  box: BoxXyxy;
  score: number;
  classId: number;
  /** The class's name from `labels`, or its id as a string when there are none. */
  label: string;
}

/** Where one image's time went (see ImageTaskTimings). */
export type DetectionTimings = ImageTaskTimings;

export interface DetectionResult {
  /** The decoded image's size (upright, as the boxes are measured). */
  width: number;
  height: number;
  /** Best score first. */
  detections: Detection[];
  timings: DetectionTimings;
}
