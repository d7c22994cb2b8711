import type { Point, Quad } from '@polyinfer/preprocess/portable';
import { convexHull } from './convex-hull.js';

export interface RotatedRect {
  /** Corners in order top-left, top-right, bottom-right, bottom-left (image coordinates, y down). */
  corners: Quad;
  width: number;
  height: number;
}

/**
 * Orders four corners as PaddleOCR's get_mini_boxes does: the two leftmost (by x) give top-left and bottom-left by
 * y, the two rightmost give top-right and bottom-right.
 */
export function orderCorners(points: Quad): Quad {
  const [a, b, c, d] = [...points].sort((p, q) => p.x - q.x) as [Point, Point, Point, Point];
  const [tl, bl] = b.y > a.y ? [a, b] : [b, a];
  const [tr, br] = d.y > c.y ? [c, d] : [d, c];
  return [tl, tr, br, bl];
}

/** The smallest-area rectangle around the points (rotating calipers over the convex hull's edges). */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) throw new RangeError('minAreaRect of no points');
  let best = { area: Infinity, ex: 1, ey: 0, minE: 0, maxE: 0, minN: 0, maxN: 0 };
  const edges = hull.length === 1 ? 1 : hull.length;
  for (let i = 0; i < edges; i++) {
    const a = hull[i] as Point;
    const b = hull[(i + 1) % hull.length] as Point;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const ex = len === 0 ? 1 : (b.x - a.x) / len;
    const ey = len === 0 ? 0 : (b.y - a.y) / len;
    let minE = Infinity;
    let maxE = -Infinity;
    let minN = Infinity;
    let maxN = -Infinity;
    for (const { x, y } of hull) {
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
  const at = (e: number, n: number): Point => ({ x: e * ex - n * ey, y: e * ey + n * ex });
  const corners = orderCorners([at(minE, minN), at(maxE, minN), at(maxE, maxN), at(minE, maxN)]);
  const width = Math.hypot(corners[1].x - corners[0].x, corners[1].y - corners[0].y);
  const height = Math.hypot(corners[3].x - corners[0].x, corners[3].y - corners[0].y);
  return { corners, width, height };
}
