import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';
import type { Point, Quad } from './quad.js';

/**
 * The 3×3 homography (row-major, h33 = 1) that maps each `from` point onto its `to` point, by solving the 8×8
 * linear system with partial pivoting.
 */
export function solveHomography(from: Quad, to: Quad): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i] as Point;
    const { x: u, y: v } = to[i] as Point;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  const n = 8;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) {
      if (Math.abs((a[row] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = row;
    }
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const p = a[col] as number[];
    const pv = p[col] as number;
    if (Math.abs(pv) < 1e-12) throw new RangeError('degenerate quadrilateral: three corners on a line');
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const r = a[row] as number[];
      const f = (r[col] as number) / pv;
      if (f === 0) continue;
      for (let k = col; k <= n; k++) r[k] = (r[k] as number) - f * (p[k] as number);
    }
  }
  const h = a.map((row, i) => (row[n] as number) / (row[i] as number));
  return [...h, 1];
}

/**
 * Warps the quadrilateral `quad` of `image` to an upright width×height image: bilinear sampling, edges replicated.
 * Scaling to the model's input size happens in the same pass (no separate crop and resize). `into`: the pixels are
 * written there (w × h × 3 bytes, the sizes rounded) instead of into a new array.
 */
export function warpQuad(image: RgbImage, quad: Quad, width: number, height: number, into?: Uint8Array): RgbImage {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  if (into !== undefined && into.length !== w * h * 3)
    throw new RangeError(`warpQuad: into holds ${into.length} bytes, not ${w}×${h}×3`);
  // Maps output pixel coordinates to source coordinates, corner to corner.
  const m = solveHomography(
    [
      { x: 0, y: 0 },
      { x: w, y: 0 },
      { x: w, y: h },
      { x: 0, y: h },
    ],
    quad,
  ) as [number, number, number, number, number, number, number, number, number];
  const out = into ?? new Uint8Array(w * h * 3);
  const { data, width: sw, height: sh } = image;
  const maxX = sw - 1;
  const maxY = sh - 1;
  let o = 0;
  for (let v = 0; v < h; v++) {
    for (let u = 0; u < w; u++) {
      const z = m[6] * u + m[7] * v + m[8];
      let x = (m[0] * u + m[1] * v + m[2]) / z;
      let y = (m[3] * u + m[4] * v + m[5]) / z;
      x = x < 0 ? 0 : x > maxX ? maxX : x;
      y = y < 0 ? 0 : y > maxY ? maxY : y;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = x0 < maxX ? x0 + 1 : x0;
      const y1 = y0 < maxY ? y0 + 1 : y0;
      const fx = x - x0;
      const fy = y - y0;
      const i00 = (y0 * sw + x0) * 3;
      const i01 = (y0 * sw + x1) * 3;
      const i10 = (y1 * sw + x0) * 3;
      const i11 = (y1 * sw + x1) * 3;
      for (let c = 0; c < 3; c++) {
        const top = (data[i00 + c] as number) + ((data[i01 + c] as number) - (data[i00 + c] as number)) * fx;
        const bottom = (data[i10 + c] as number) + ((data[i11 + c] as number) - (data[i10 + c] as number)) * fx;
        out[o++] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return createRgbImage(out, w, h);
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** The natural size of a quad's upright crop: the longer of each pair of opposite sides. */
export function quadSize(quad: Quad): { width: number; height: number } {
  const [tl, tr, br, bl] = quad;
  return {
    width: Math.max(1, Math.round(Math.max(distance(tl, tr), distance(bl, br)))),
    height: Math.max(1, Math.round(Math.max(distance(tl, bl), distance(tr, br)))),
  };
}
