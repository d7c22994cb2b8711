import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';

/** Fixed-point precision of the filter weights: sums of 8-bit samples × weights stay inside an int32. */
const WEIGHT_BITS = 14;
const ONE = 1 << WEIGHT_BITS;
const HALF = 1 << (WEIGHT_BITS - 1);

interface Taps {
  /** First source index of each output sample. */
  start: Int32Array;
  /** Taps per output sample (the same for all; unused tails are zero weights). */
  size: number;
  /** size weights per output sample, in 1/ONE, summing to ONE. */
  weights: Int32Array;
}

/**
 * A triangle filter from `from` samples to `to`, pixel centres aligned; when shrinking it widens by the factor so
 * every source pixel contributes (antialiasing), as libvips' and Pillow's linear reducers do.
 */
function triangleTaps(from: number, to: number): Taps {
  const scale = from / to;
  const support = Math.max(1, scale);
  const size = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(to);
  const weights = new Int32Array(to * size);
  const real = new Float64Array(size);
  for (let i = 0; i < to; i++) {
    const centre = (i + 0.5) * scale;
    const first = Math.max(0, Math.floor(centre - support));
    const last = Math.min(from, Math.ceil(centre + support));
    let total = 0;
    for (let j = first; j < last; j++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
      real[j - first] = w;
      total += w;
    }
    start[i] = first;
    // Rounded weights, with the rounding error put on the largest so they sum to exactly ONE (flat stays flat).
    let sum = 0;
    let largest = 0;
    for (let k = 0; k < last - first; k++) {
      const w = Math.round(((real[k] as number) / total) * ONE);
      weights[i * size + k] = w;
      sum += w;
      if (w > (weights[i * size + largest] as number)) largest = k;
    }
    weights[i * size + largest] = (weights[i * size + largest] as number) + ONE - sum;
    if (last - first > size) throw new Error(`resize: ${last - first} taps exceed ${size}`);
  }
  return { start, size, weights };
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * Resizes to exactly width×height with a separable triangle filter in integer arithmetic: the same bytes in Node and
 * in every browser (canvas and sharp each resample their own way, and a line read in one could read differently in
 * the other). Horizontal pass first, rounded to 8 bits, then vertical.
 */
export function resizeLinear(image: RgbImage, width: number, height: number): RgbImage {
  if (width === image.width && height === image.height) return image;
  const src = image.data;
  const sw = image.width;
  const sh = image.height;
  const h = triangleTaps(sw, width);
  const mid = new Uint8Array(width * sh * 3);
  for (let y = 0; y < sh; y++) {
    const row = y * sw * 3;
    const out = y * width * 3;
    for (let x = 0; x < width; x++) {
      let r = HALF;
      let g = HALF;
      let b = HALF;
      const base = h.start[x] as number;
      const wOffset = x * h.size;
      for (let k = 0; k < h.size; k++) {
        const w = h.weights[wOffset + k] as number;
        if (w === 0) continue;
        const p = row + (base + k) * 3;
        r += (src[p] as number) * w;
        g += (src[p + 1] as number) * w;
        b += (src[p + 2] as number) * w;
      }
      mid[out + x * 3] = clampByte(r >> WEIGHT_BITS);
      mid[out + x * 3 + 1] = clampByte(g >> WEIGHT_BITS);
      mid[out + x * 3 + 2] = clampByte(b >> WEIGHT_BITS);
    }
  }
  const v = triangleTaps(sh, height);
  const rowBytes = width * 3;
  const dst = new Uint8Array(width * height * 3);
  const acc = new Int32Array(rowBytes);
  for (let y = 0; y < height; y++) {
    acc.fill(HALF);
    const base = v.start[y] as number;
    for (let k = 0; k < v.size; k++) {
      const w = v.weights[y * v.size + k] as number;
      if (w === 0) continue;
      const row = (base + k) * rowBytes;
      for (let i = 0; i < rowBytes; i++) acc[i] = (acc[i] as number) + (mid[row + i] as number) * w;
    }
    const out = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) dst[out + i] = clampByte((acc[i] as number) >> WEIGHT_BITS);
  }
  return createRgbImage(dst, width, height);
}
