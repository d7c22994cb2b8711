import * as clipperModule from 'clipper-lib';
import type { Point } from '@polyinfer/preprocess/portable';

// clipper-lib is CommonJS; Node's ESM loader exposes it only as `default`, bundlers may expose names too.
const ClipperLib = (clipperModule as unknown as { default?: typeof clipperModule }).default ?? clipperModule;

export function polygonArea(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const { x: x1, y: y1 } = points[i] as Point;
    const { x: x2, y: y2 } = points[(i + 1) % points.length] as Point;
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum) / 2;
}

export function polygonPerimeter(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const { x: x1, y: y1 } = points[i] as Point;
    const { x: x2, y: y2 } = points[(i + 1) % points.length] as Point;
    sum += Math.hypot(x2 - x1, y2 - y1);
  }
  return sum;
}

/**
 * DB's "unclip": grows a shrunk text kernel back to the text's extent by offsetting the polygon outward by
 * area × ratio / perimeter (Vatti clipping with round joins, as PaddleOCR does with pyclipper; clipper-lib is the
 * same Clipper 6.4.2). Returns the offset polygons (normally one).
 */
export function unclip(points: readonly Point[], ratio: number): Point[][] {
  const perimeter = polygonPerimeter(points);
  if (perimeter === 0) return [];
  const distance = (polygonArea(points) * ratio) / perimeter;
  const offset = new ClipperLib.ClipperOffset();
  offset.AddPath(
    points.map(({ x, y }) => ({ X: Math.trunc(x), Y: Math.trunc(y) })),
    ClipperLib.JoinType.jtRound,
    ClipperLib.EndType.etClosedPolygon,
  );
  const solution: clipperModule.Paths = [];
  offset.Execute(solution, distance);
  return solution.map((path) => path.map((p): Point => ({ x: p.X, y: p.Y })));
}

/**
 * Mean of `map` over the pixels inside a convex polygon (PaddleOCR's "fast" box score: the polygon filled on its
 * bounding rectangle, integer vertices, edges included).
 */
export function meanInPolygon(map: Float32Array, width: number, height: number, polygon: readonly Point[]): number {
  const pts = polygon.map((p): Point => ({ x: Math.trunc(p.x), y: Math.trunc(p.y) }));
  const xs = polygon.map((p) => p.x);
  const ys = polygon.map((p) => p.y);
  const clamp = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);
  const xmin = clamp(Math.floor(Math.min(...xs)), width - 1);
  const xmax = clamp(Math.ceil(Math.max(...xs)), width - 1);
  const ymin = clamp(Math.floor(Math.min(...ys)), height - 1);
  const ymax = clamp(Math.ceil(Math.max(...ys)), height - 1);
  // Orientation-independent inside test: all edge cross products share a sign (or are zero, on the edge).
  const inside = (x: number, y: number): boolean => {
    let pos = false;
    let neg = false;
    for (let i = 0; i < pts.length; i++) {
      const { x: x1, y: y1 } = pts[i] as Point;
      const { x: x2, y: y2 } = pts[(i + 1) % pts.length] as Point;
      const c = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
      if (c > 0) pos = true;
      else if (c < 0) neg = true;
      if (pos && neg) return false;
    }
    return true;
  };
  let sum = 0;
  let count = 0;
  for (let y = ymin; y <= ymax; y++) {
    for (let x = xmin; x <= xmax; x++) {
      if (!inside(x, y)) continue;
      sum += map[y * width + x] as number;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}
