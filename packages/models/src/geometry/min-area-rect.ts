import type { Vec } from './convex-hull.js';
import { convexHull } from './convex-hull.js';

export interface RotatedRect {
  /** Corners in order top-left, top-right, bottom-right, bottom-left (image coordinates, y down). */
  corners: [Vec, Vec, Vec, Vec];
  width: number;
  height: number;
}

/**
 * Orders four corners as PaddleOCR's get_mini_boxes does: the two leftmost (by x) give top-left and bottom-left by
 * y, the two rightmost give top-right and bottom-right.
 */
export function orderCorners(points: readonly Vec[]): [Vec, Vec, Vec, Vec] {
  const p = [...points].sort((a, b) => a[0] - b[0]) as [Vec, Vec, Vec, Vec];
  const [tl, bl] = p[1][1] > p[0][1] ? [p[0], p[1]] : [p[1], p[0]];
  const [tr, br] = p[3][1] > p[2][1] ? [p[2], p[3]] : [p[3], p[2]];
  return [tl, tr, br, bl];
}

/** The smallest-area rectangle around the points (rotating calipers over the convex hull's edges). */
export function minAreaRect(points: readonly Vec[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) throw new RangeError('minAreaRect of no points');
  let best = { area: Infinity, ex: 1, ey: 0, minE: 0, maxE: 0, minN: 0, maxN: 0 };
  const edges = hull.length === 1 ? 1 : hull.length;
  for (let i = 0; i < edges; i++) {
    const a = hull[i] as Vec;
    const b = hull[(i + 1) % hull.length] as Vec;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const ex = len === 0 ? 1 : (b[0] - a[0]) / len;
    const ey = len === 0 ? 0 : (b[1] - a[1]) / len;
    let minE = Infinity;
    let maxE = -Infinity;
    let minN = Infinity;
    let maxN = -Infinity;
    for (const [x, y] of hull) {
      const e = x * ex + y * ey;
      const n = -x * ey + y * ex;
      if (e < minE) minE = e;
      if (e > maxE) maxE = e;
      if (n < minN) minN = n;
      if (n > maxN) maxN = n;
    }
    const area = (maxE - minE) * (maxN - minN);
    if (area < best.area - 1e-9) best = { area, ex, ey, minE, maxE, minN, maxN };
  }
  const { ex, ey, minE, maxE, minN, maxN } = best;
  const at = (e: number, n: number): Vec => [e * ex - n * ey, e * ey + n * ex];
  const corners = orderCorners([at(minE, minN), at(maxE, minN), at(maxE, maxN), at(minE, maxN)]);
  const width = Math.hypot(corners[1][0] - corners[0][0], corners[1][1] - corners[0][1]);
  const height = Math.hypot(corners[3][0] - corners[0][0], corners[3][1] - corners[0][1]);
  return { corners, width, height };
}
