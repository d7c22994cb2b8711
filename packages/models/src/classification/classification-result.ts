import type { ClassScore } from '../decoders/top-k-decoder.js';
import type { ImageTaskTimings } from '../image-task/image-task-input.js';

/** Where one image's time went (see ImageTaskTimings). */
export type ClassificationTimings = ImageTaskTimings;

export interface ClassificationResult {
  /** The decoded image's size. */
  width: number;
  height: number;
  /** The top k classes, best first, with probabilities (softmaxed where the model gives logits). */
  classes: ClassScore[];
  timings: ClassificationTimings;
}
