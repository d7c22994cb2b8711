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
 * A triangle filter from `from` samples to `to`. `centres`: pixel centres aligned, and when shrinking the filter
 * widens by the factor so every source pixel contributes (antialiasing), as libvips' linear reducer does. `corners`:
 * output pixel i samples source position i × from/to, half a pixel left of the centres — libvips' bilinear
 * enlargement, which also moves an axis it does not scale by that half pixel.
 */
function triangleTaps(from: number, to: number, alignment: 'centres' | 'corners'): Taps {
  const scale = from / to;
  const support = Math.max(1, scale);
  const size = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(to);
  const weights = new Int32Array(to * size);
  const real = new Float64Array(size);
  for (let i = 0; i < to; i++) {
    const centre = alignment === 'corners' ? i * scale : (i + 0.5) * scale;
    const first = Math.max(0, Math.floor(centre - support));
    const last = Math.min(from, Math.ceil(centre + support));
    if (last - first > size) throw new Error(`resize: ${last - first} taps exceed ${size}`);
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
  }
  return { start, size, weights };
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Resamples the rows (x) of an RGB image to `taps`' output width. */
function resampleRows(image: RgbImage, width: number, taps: Taps): RgbImage {
  const { data: src, width: sw, height } = image;
  const dst = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = y * sw * 3;
    const out = y * width * 3;
    for (let x = 0; x < width; x++) {
      let r = HALF;
      let g = HALF;
      let b = HALF;
      const base = taps.start[x] as number;
      const offset = x * taps.size;
      for (let k = 0; k < taps.size; k++) {
        const w = taps.weights[offset + k] as number;
        if (w === 0) continue;
        const p = row + (base + k) * 3;
        r += (src[p] as number) * w;
        g += (src[p + 1] as number) * w;
        b += (src[p + 2] as number) * w;
      }
      dst[out + x * 3] = clampByte(r >> WEIGHT_BITS);
      dst[out + x * 3 + 1] = clampByte(g >> WEIGHT_BITS);
      dst[out + x * 3 + 2] = clampByte(b >> WEIGHT_BITS);
    }
  }
  return createRgbImage(dst, width, height);
}

/** Resamples the columns (y) of an RGB image to `taps`' output height. */
function resampleColumns(image: RgbImage, height: number, taps: Taps): RgbImage {
  const { data: src, width } = image;
  const rowBytes = width * 3;
  const dst = new Uint8Array(rowBytes * height);
  const acc = new Int32Array(rowBytes);
  for (let y = 0; y < height; y++) {
    acc.fill(HALF);
    const base = taps.start[y] as number;
    for (let k = 0; k < taps.size; k++) {
      const w = taps.weights[y * taps.size + k] as number;
      if (w === 0) continue;
      const row = (base + k) * rowBytes;
      for (let i = 0; i < rowBytes; i++) acc[i] = (acc[i] as number) + (src[row + i] as number) * w;
    }
    const out = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) dst[out + i] = clampByte((acc[i] as number) >> WEIGHT_BITS);
  }
  return createRgbImage(dst, width, height);
}

/**
 * Resizes to exactly width×height with separable linear filters in integer arithmetic: the same bytes in Node and in
 * every browser (canvas and sharp each resample their own way, and a line read in one could read differently in the
 * other). It follows what sharp's `kernel: 'linear'` does, to within rounding, so that the OCR figures measured
 * through sharp still hold: a shrinking axis is reduced first (antialiased, centres aligned), then, if either axis
 * grows, both are resampled bilinearly with corners aligned.
 */
export function resizeLinear(image: RgbImage, width: number, height: number): RgbImage {
  if (width === image.width && height === image.height) return image;
  let out = image;
  if (width < out.width) out = resampleRows(out, width, triangleTaps(out.width, width, 'centres'));
  if (height < out.height) out = resampleColumns(out, height, triangleTaps(out.height, height, 'centres'));
  if (width > image.width || height > image.height) {
    out = resampleRows(out, width, triangleTaps(out.width, width, 'corners'));
    out = resampleColumns(out, height, triangleTaps(out.height, height, 'corners'));
  }
  return out;
}
