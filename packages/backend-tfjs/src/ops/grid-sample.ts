import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { dtypeIn, firstOf } from './form-checks.js';
import { toHost } from './value.js';

/** Rounds half to even, as C's nearbyint (ONNX's 2-D nearest GridSample follows PyTorch there). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Folds a coordinate back into [lo, hi] by reflecting at the borders, as often as it takes. */
function reflect(v: number, lo: number, hi: number): number {
  const range = hi - lo;
  if (range <= 0) return lo;
  if (v < lo) {
    const d = lo - v;
    const n = Math.trunc(d / range);
    const r = d - n * range;
    return n % 2 === 0 ? lo + r : hi - r;
  }
  if (v > hi) {
    const d = v - hi;
    const n = Math.trunc(d / range);
    const r = d - n * range;
    return n % 2 === 0 ? hi - r : lo + r;
  }
  return v;
}

/** Keys' cubic convolution weights (α = −0.75) for a fractional offset t. */
function cubicWeights(t: number): [number, number, number, number] {
  const a = -0.75;
  const far = (x: number): number => ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  const near = (x: number): number => ((a + 2) * x - (a + 3)) * x * x + 1;
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/**
 * GridSample of NCHW images at the grid's normalised (x, y) points: nearest, (bi)linear or (bi)cubic, padding by zeros,
 * the border or reflection, with or without align_corners — ONNX's definition, computed on the host per output pixel.
 */
function gridSample(ctx: OpContext): tf.Tensor[] {
  const x = toHost(input(ctx, 0));
  const grid = toHost(input(ctx, 1));
  if (x.dims.length !== 4)
    throw new RangeError(
      `GridSample of a rank-${x.dims.length} input: the tfjs importer samples 2-D images (rank 4) only`,
    );
  const [n, c, h, w] = x.dims as [number, number, number, number];
  const [, outH, outW] = grid.dims as [number, number, number, number];
  const raw = attr(ctx, 'mode', ctx.opset >= 20 ? 'linear' : 'bilinear');
  const mode = raw === 'bilinear' ? 'linear' : raw === 'bicubic' ? 'cubic' : raw;
  const padding = attr(ctx, 'padding_mode', 'zeros');
  const align = attr(ctx, 'align_corners', 0) === 1;
  const lo = align ? [0, 0] : [-0.5, -0.5];
  const hi = align ? [h - 1, w - 1] : [h - 0.5, w - 0.5];
  const sizes = [h, w];
  const denormalise = (v: number, d: number): number => (align ? ((v + 1) / 2) * (d - 1) : ((v + 1) * d - 1) / 2);
  /** The index used along an axis for an integer position, or −1 where zeros padding reads nothing. */
  const indexAt = (i: number, axis: number): number => {
    const d = sizes[axis] as number;
    if (padding === 'zeros') return i >= 0 && i < d ? i : -1;
    if (padding === 'border') return Math.min(Math.max(i, 0), d - 1);
    return Math.trunc(reflect(i, lo[axis] as number, hi[axis] as number));
  };
  const out = new Float32Array(n * c * outH * outW);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const g = ((b * outH + oy) * outW + ox) * 2;
        let px = denormalise(grid.data[g] as number, w);
        let py = denormalise(grid.data[g + 1] as number, h);
        if (mode === 'nearest') [px, py] = [roundHalfEven(px), roundHalfEven(py)];
        // A point outside the borders moves in first (border, reflection); zeros padding reads 0 there instead.
        const inside = (v: number, axis: number): number => {
          if (v >= (lo[axis] as number) && v <= (hi[axis] as number)) return v;
          if (padding === 'border') return Math.min(Math.max(v, 0), (sizes[axis] as number) - 1);
          if (padding === 'reflection') return reflect(v, lo[axis] as number, hi[axis] as number);
          return v;
        };
        py = inside(py, 0);
        px = inside(px, 1);
        const taps: { y: number[]; x: number[]; wy: number[]; wx: number[] } =
          mode === 'nearest'
            ? { y: [Math.trunc(py)], x: [Math.trunc(px)], wy: [1], wx: [1] }
            : mode === 'cubic'
              ? {
                  y: [-1, 0, 1, 2].map((k) => Math.floor(py) + k),
                  x: [-1, 0, 1, 2].map((k) => Math.floor(px) + k),
                  wy: cubicWeights(py - Math.floor(py)),
                  wx: cubicWeights(px - Math.floor(px)),
                }
              : {
                  y: [Math.floor(py), Math.floor(py) + 1],
                  x: [Math.floor(px), Math.floor(px) + 1],
                  wy: [1 - (py - Math.floor(py)), py - Math.floor(py)],
                  wx: [1 - (px - Math.floor(px)), px - Math.floor(px)],
                };
        const ys = taps.y.map((i) => indexAt(i, 0));
        const xs = taps.x.map((i) => indexAt(i, 1));
        for (let ch = 0; ch < c; ch++) {
          const plane = (b * c + ch) * h * w;
          let sum = 0;
          ys.forEach((yi, i) => {
            if (yi < 0) return;
            xs.forEach((xi, j) => {
              if (xi >= 0)
                sum += (taps.wy[i] as number) * (taps.wx[j] as number) * (x.data[plane + yi * w + xi] as number);
            });
          });
          out[((b * c + ch) * outH + oy) * outW + ox] = sum;
        }
      }
    }
  }
  return [tf.tensor(out, [n, c, outH, outW], 'float32')];
}

export const gridSampleOps: Record<string, OpEntry> = {
  GridSample: {
    kernel: gridSample,
    opsets: [16],
    refuse: (view) => firstOf(dtypeIn(view, 0, ['float32']), dtypeIn(view, 1, ['float32'])),
    note: '2-D; nearest, linear, cubic; zeros, border, reflection',
    anyRank: true,
  },
};
