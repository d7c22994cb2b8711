/** A box before suppression, in any consistent coordinates (x1, y1, x2, y2). */
export interface ScoredBox {
  box: readonly [number, number, number, number];
  score: number;
  classId: number;
}

export interface NmsOptions {
  iouThreshold: number;
  maxDetections: number;
  /** Suppress across classes (one object, one box) rather than within each class. */
  classAgnostic: boolean;
}

export function intersectionOverUnion(a: ScoredBox['box'], b: ScoredBox['box']): number {
  const width = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const height = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (width <= 0 || height <= 0) return 0;
  const overlap = width * height;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - overlap;
  return union > 0 ? overlap / union : 0;
}

/**
 * Greedy non-maximum suppression: best score first, a box is kept unless it overlaps a kept box of its class (any
 * class when agnostic) by more than the IoU threshold. Equal scores keep their input order, so the result does not
 * depend on the sort's stability across engines.
 */
export function nonMaxSuppression<B extends ScoredBox>(boxes: readonly B[], options: NmsOptions): B[] {
  const order = boxes.map((_, i) => i).sort((i, j) => (boxes[j] as B).score - (boxes[i] as B).score || i - j);
  const kept: B[] = [];
  for (const index of order) {
    if (kept.length >= options.maxDetections) break;
    const candidate = boxes[index] as B;
    const suppressed = kept.some(
      (k) =>
        (options.classAgnostic || k.classId === candidate.classId) &&
        intersectionOverUnion(k.box, candidate.box) > options.iouThreshold,
    );
    if (!suppressed) kept.push(candidate);
  }
  return kept;
}
