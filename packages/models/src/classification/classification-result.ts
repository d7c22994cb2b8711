import type { ClassScore } from '../decoders/top-k-decoder.js';

export interface ClassificationTimings {
  decode: number;
  preprocess: number;
  inference: number;
  postprocess: number;
  total: number;
}

export interface ClassificationResult {
  /** The decoded image's size. */
  width: number;
  height: number;
  /** The top k classes, best first, with probabilities (softmaxed where the model gives logits). */
  classes: ClassScore[];
  timings: ClassificationTimings;
}
