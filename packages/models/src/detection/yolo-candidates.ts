import type { DetectionFormat } from './detection-format.js';
import type { ScoredBox } from './non-max-suppression.js';

export interface CandidateOptions {
  scoreThreshold: number;
  /** Boxes handed to NMS at most, best first: bounds its cost on a model that scores every anchor high. */
  maxCandidates: number;
}

/**
 * The boxes of one YOLO output above the score threshold, in input pixels (x1, y1, x2, y2), each with its best class:
 * `data` is the output's values, `dims` its [1, A, B] shape.
 */
export function yoloCandidates(
  data: Float32Array,
  dims: readonly number[],
  format: DetectionFormat,
  options: CandidateOptions,
): ScoredBox[] {
  const a = dims[1] as number;
  const b = dims[2] as number;
  const found: ScoredBox[] = [];
  const { scoreThreshold } = options;
  const fromCentre = (cx: number, cy: number, w: number, h: number): ScoredBox['box'] => [
    cx - w / 2,
    cy - h / 2,
    cx + w / 2,
    cy + h / 2,
  ];
  if (format === 'yolov8') {
    // Channels first: value k of anchor n is at k * N + n.
    const anchors = b;
    const classes = a - 4;
    for (let n = 0; n < anchors; n++) {
      let best = -1;
      let score = -Infinity;
      for (let c = 0; c < classes; c++) {
        const s = data[(4 + c) * anchors + n] as number;
        if (s > score) [score, best] = [s, c];
      }
      if (!(score >= scoreThreshold)) continue;
      const at = (k: number): number => data[k * anchors + n] as number;
      found.push({ box: fromCentre(at(0), at(1), at(2), at(3)), score, classId: best });
    }
  } else if (format === 'yolov5') {
    const classes = b - 5;
    for (let n = 0; n < a; n++) {
      const row = n * b;
      const objectness = data[row + 4] as number;
      if (!(objectness >= scoreThreshold)) continue; // every class score is at most the objectness times one
      let best = -1;
      let score = -Infinity;
      for (let c = 0; c < classes; c++) {
        const s = (data[row + 5 + c] as number) * objectness;
        if (s > score) [score, best] = [s, c];
      }
      if (!(score >= scoreThreshold)) continue;
      found.push({
        box: fromCentre(data[row] as number, data[row + 1] as number, data[row + 2] as number, data[row + 3] as number),
        score,
        classId: best,
      });
    }
  } else {
    for (let n = 0; n < a; n++) {
      const row = n * b;
      const score = data[row + 4] as number;
      if (!(score >= scoreThreshold)) continue;
      found.push({
        box: [data[row] as number, data[row + 1] as number, data[row + 2] as number, data[row + 3] as number],
        score,
        classId: Math.round(data[row + 5] as number),
      });
    }
  }
  if (found.length <= options.maxCandidates) return found;
  return found.sort((p, q) => q.score - p.score).slice(0, options.maxCandidates);
}
