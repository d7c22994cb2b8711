import type { RgbImage } from './rgb-image.js';
import { createRgbImage } from './rgb-image.js';
import { ScratchBytes } from './scratch-bytes.js';

/** Fixed-point precision of the filter weights: sums of 8-bit samples × weights stay inside an int32. */
const WEIGHT_BITS = 14;
const ONE = 1 << WEIGHT_BITS;
const HALF = 1 << (WEIGHT_BITS - 1);

interface Taps {
  /** First source index with a non-zero weight, per output sample. */
  start: Int32Array;
  /** Non-zero weights per output sample. */
  count: Int32Array;
  /** Weight slots per output sample (the largest count). */
  size: number;
  /** Per output sample, its `count` weights from `start` on, in 1/ONE, summing to ONE. */
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
  const count = new Int32Array(to);
  const weights = new Int32Array(to * size);
  const real = new Float64Array(size);
  const rounded = new Int32Array(size);
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
    // Rounded weights, with the rounding error put on the largest so they sum to exactly ONE (flat stays flat).
    let sum = 0;
    let largest = 0;
    for (let k = 0; k < last - first; k++) {
      const w = Math.round(((real[k] as number) / total) * ONE);
      rounded[k] = w;
      sum += w;
      if (w > (rounded[largest] as number)) largest = k;
    }
    rounded[largest] = (rounded[largest] as number) + ONE - sum;
    // Only the span of non-zero weights is kept: the passes below then never test a weight for zero.
    let lo = 0;
    let hi = last - first;
    while (lo < hi && rounded[lo] === 0) lo++;
    while (hi > lo && rounded[hi - 1] === 0) hi--;
    start[i] = first + lo;
    count[i] = hi - lo;
    for (let k = lo; k < hi; k++) weights[i * size + k - lo] = rounded[k] as number;
  }
  return { start, count, size, weights };
}

/** Resamples the rows (x) of an RGB image into `dst`, `taps`' output width wide. */
function resampleRows(image: RgbImage, width: number, taps: Taps, dst: Uint8Array): RgbImage {
  const { data: src, width: sw, height } = image;
  // Stores through a clamped view: the integer results are clamped to 0…255 without a branch.
  const out = new Uint8ClampedArray(dst.buffer, dst.byteOffset, dst.length);
  const { start, count, size, weights } = taps;
  for (let y = 0; y < height; y++) {
    const row = y * sw * 3;
    let o = y * width * 3;
    for (let x = 0; x < width; x++) {
      let r = HALF;
      let g = HALF;
      let b = HALF;
      let p = row + (start[x] as number) * 3;
      const offset = x * size;
      const end = offset + (count[x] as number);
      for (let k = offset; k < end; k++, p += 3) {
        const w = weights[k] as number;
        r += (src[p] as number) * w;
        g += (src[p + 1] as number) * w;
        b += (src[p + 2] as number) * w;
      }
      out[o++] = r >> WEIGHT_BITS;
      out[o++] = g >> WEIGHT_BITS;
      out[o++] = b >> WEIGHT_BITS;
    }
  }
  return createRgbImage(dst, width, height);
}

/** Resamples the columns (y) of an RGB image into `dst`, `taps`' output height high. */
function resampleColumns(image: RgbImage, height: number, taps: Taps, dst: Uint8Array): RgbImage {
  const { data: src, width } = image;
  const rowBytes = width * 3;
  const out = new Uint8ClampedArray(dst.buffer, dst.byteOffset, dst.length);
  const acc = new Int32Array(rowBytes);
  const { start, count, size, weights } = taps;
  for (let y = 0; y < height; y++) {
    const first = start[y] as number;
    const n = count[y] as number;
    // The first tap sets the sums, the others add to them.
    let w = weights[y * size] as number;
    let row = first * rowBytes;
    for (let i = 0; i < rowBytes; i++) acc[i] = HALF + (src[row + i] as number) * w;
    for (let k = 1; k < n; k++) {
      w = weights[y * size + k] as number;
      row = (first + k) * rowBytes;
      for (let i = 0; i < rowBytes; i++) acc[i] = (acc[i] as number) + (src[row + i] as number) * w;
    }
    const base = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) out[base + i] = (acc[i] as number) >> WEIGHT_BITS;
  }
  return createRgbImage(dst, width, height);
}

interface Pass {
  axis: 'rows' | 'columns';
  taps: Taps;
  width: number;
  height: number;
}

/**
 * Where the passes before the last write: kept between calls, because on some machines a fresh multi-megabyte array
 * costs more than the pass that fills it (each first write to a new page faults). One pair per realm is safe, since a
 * resize never yields. Above SCRATCH_KEEP_BYTES they are let go again, so one large photo does not pin its memory.
 */
const SCRATCH_KEEP_BYTES = 16 << 20;
const scratch = [new ScratchBytes(SCRATCH_KEEP_BYTES), new ScratchBytes(SCRATCH_KEEP_BYTES)] as const;

/**
 * Resizes to exactly width×height with separable linear filters in integer arithmetic: the same bytes in Node and in
 * every browser (canvas and sharp each resample their own way, and a line read in one could read differently in the
 * other). It follows what sharp's `kernel: 'linear'` does, to within rounding, so that the OCR figures measured
 * through sharp still hold: a shrinking axis is reduced first (antialiased, centres aligned), then, if either axis
 * grows, both are resampled bilinearly with corners aligned.
 *
 * `into`: the result's pixels are written there (width × height × 3 bytes) instead of into a new array.
 */
export function resizeLinear(image: RgbImage, width: number, height: number, into?: Uint8Array): RgbImage {
  if (into !== undefined && into.length !== width * height * 3)
    throw new RangeError(`resizeLinear: into holds ${into.length} bytes, not ${width}×${height}×3`);
  if (width === image.width && height === image.height) {
    if (into === undefined) return image;
    into.set(image.data);
    return createRgbImage(into, width, height);
  }
  const passes: Pass[] = [];
  let w = image.width;
  let h = image.height;
  if (width < w) passes.push({ axis: 'rows', taps: triangleTaps(w, (w = width), 'centres'), width: w, height: h });
  if (height < h) passes.push({ axis: 'columns', taps: triangleTaps(h, (h = height), 'centres'), width: w, height: h });
  if (width > image.width || height > image.height) {
    passes.push({ axis: 'rows', taps: triangleTaps(w, width, 'corners'), width, height: h });
    passes.push({ axis: 'columns', taps: triangleTaps(h, height, 'corners'), width, height });
  }
  let out = image;
  passes.forEach((pass, i) => {
    const bytes = pass.width * pass.height * 3;
    const last = i === passes.length - 1;
    const dst = last ? (into ?? new Uint8Array(bytes)) : (scratch[i % 2] as ScratchBytes).take(bytes);
    out =
      pass.axis === 'rows'
        ? resampleRows(out, pass.width, pass.taps, dst)
        : resampleColumns(out, pass.height, pass.taps, dst);
  });
  for (const bytes of scratch) bytes.trim();
  return out;
}
