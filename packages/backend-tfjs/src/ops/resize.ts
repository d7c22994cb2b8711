import * as tf from '@tensorflow/tfjs-core';
import type { LoadView, OpContext, OpEntry, OpKernel, UnsupportedForm } from './op-context.js';
import { attr, input } from './op-context.js';
import { channelsLastInput, channelsLastOutput, toNchw, toNhwc } from './conv.js';
import { toHost, toTensor } from './value.js';
import { attributeOf, dtypeIn, firstOf, oneOf } from './form-checks.js';
import type { Value } from './value.js';

type Transform = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric';
type Nearest = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil' | 'simple';

/**
 * Where output index i samples the input along one axis, as ONNX's coordinate_transformation_mode defines it, in
 * float32 arithmetic step by step as onnxruntime computes it (in doubles, 1.5 / 0.6 − 0.5 lands a hair under 2 and a
 * floor picks another pixel).
 */
function sourceCoordinate(transform: Transform, i: number, inSize: number, outSize: number, scale: number): number {
  const f = Math.fround;
  if (transform === 'asymmetric') return f(i / scale);
  // The resized length here is in · scale, not floored (onnxruntime's and the reference's rule: 0.6 × 4 is 2.4).
  const resized = f(inSize * scale);
  if (transform === 'align_corners') return resized === 1 ? 0 : f(f(i * (inSize - 1)) / f(resized - 1));
  if (transform === 'pytorch_half_pixel' && outSize === 1) return 0;
  return f(f(f(i + 0.5) / scale) - 0.5);
}

function nearestIndex(mode: Nearest, x: number, scale: number): number {
  if (mode === 'floor') return Math.floor(x);
  if (mode === 'ceil') return Math.ceil(x);
  // Resize-10 and Upsample: onnxruntime truncates when enlarging and rounds up when shrinking.
  if (mode === 'simple') return scale >= 1 ? Math.trunc(x) : Math.ceil(x);
  const floor = Math.floor(x);
  if (x - floor === 0.5) return mode === 'round_prefer_floor' ? floor : floor + 1;
  return Math.round(x);
}

interface Axis {
  inSize: number;
  outSize: number;
  scale: number;
}

const clamp = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);

/** Gather indices (and, for linear, the second index and its weight) along one axis. */
function axisSampling(
  mode: 'nearest' | 'linear',
  transform: Transform,
  nearest: Nearest,
  { inSize, outSize, scale }: Axis,
): { lo: Int32Array; hi: Int32Array; weight: Float32Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const x = sourceCoordinate(transform, i, inSize, outSize, scale);
    if (mode === 'nearest') {
      lo[i] = clamp(nearestIndex(nearest, x, scale), inSize - 1);
      continue;
    }
    const c = clamp(x, inSize - 1);
    const x0 = Math.floor(c);
    lo[i] = x0;
    hi[i] = Math.min(x0 + 1, inSize - 1);
    weight[i] = c - x0;
  }
  return { lo, hi, weight };
}

/**
 * Cubic taps along one axis: for each output index, four source indices (clamped to the edge) and Keys' weights with
 * coefficient a; exclude_outside zeroes the taps that fall outside and renormalises the rest.
 */
function cubicSampling(
  transform: Transform,
  { inSize, outSize, scale }: Axis,
  a: number,
  excludeOutside: boolean,
): { index: Int32Array[]; weight: Float32Array[] } {
  const index = [0, 1, 2, 3].map(() => new Int32Array(outSize));
  const weight = [0, 1, 2, 3].map(() => new Float32Array(outSize));
  const keys = (d: number): number => {
    const t = Math.abs(d);
    if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
    if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
    return 0;
  };
  for (let i = 0; i < outSize; i++) {
    const x = sourceCoordinate(transform, i, inSize, outSize, scale);
    const x0 = Math.floor(x);
    const taps = [-1, 0, 1, 2].map((k) => x0 + k);
    const w = taps.map((p) => (excludeOutside && (p < 0 || p >= inSize) ? 0 : keys(x - p)));
    const total = excludeOutside ? w.reduce((p, q) => p + q, 0) : 1;
    taps.forEach((p, k) => {
      (index[k] as Int32Array)[i] = clamp(p, inSize - 1);
      (weight[k] as Float32Array)[i] = (w[k] as number) / total;
    });
  }
  return { index, weight };
}

function resampleAxis(
  x: tf.Tensor,
  axis: 1 | 2 | 3,
  mode: 'nearest' | 'linear' | 'cubic',
  transform: Transform,
  nearest: Nearest,
  a: Axis,
  cubic = { a: -0.75, excludeOutside: false },
): tf.Tensor {
  if (a.inSize === a.outSize && a.scale === 1 && transform !== 'align_corners') return x;
  if (mode === 'cubic') {
    const { index, weight } = cubicSampling(transform, a, cubic.a, cubic.excludeOutside);
    const shape = [1, 1, 1, 1];
    shape[axis] = a.outSize;
    return index
      .map((ix, k) => tf.mul(tf.gather(x, tf.tensor1d(ix, 'int32'), axis), tf.tensor(weight[k] as Float32Array, shape)))
      .reduce((p, q) => tf.add(p, q));
  }
  const { lo, hi, weight } = axisSampling(mode, transform, nearest, a);
  const low = tf.gather(x, tf.tensor1d(lo, 'int32'), axis);
  if (mode === 'nearest') return low;
  const shape = [1, 1, 1, 1];
  shape[axis] = a.outSize;
  const w = tf.tensor(weight, shape);
  return tf.add(tf.mul(low, tf.sub(1, w)), tf.mul(tf.gather(x, tf.tensor1d(hi, 'int32'), axis), w));
}

/**
 * Whether tf.image.resizeNearestNeighbor (no corner alignment, no half-pixel centres: source ⌊i · in / out⌋) picks
 * the pixels ONNX would: at a whole enlarging scale, asymmetric+floor gives ⌊i / s⌋, and so does any half-pixel
 * transform with rounding (its source lies strictly within half a pixel of ⌊i / s⌋).
 */
function matchesTfNearest(transform: Transform, nearest: Nearest, a: Axis): boolean {
  const whole = Number.isInteger(a.scale) && a.scale >= 1 && a.outSize === a.inSize * a.scale;
  if (!whole) return false;
  if (a.scale === 1) return true;
  if (transform === 'asymmetric') return nearest === 'floor' || nearest === 'simple';
  return (
    (transform === 'half_pixel' || transform === 'pytorch_half_pixel') &&
    (nearest === 'round_prefer_floor' || nearest === 'round_prefer_ceil')
  );
}

/** Resize-18's axes, as positions in the rank-4 input (the kernel resamples NCHW images). */
function axesOf(ctx: OpContext): number[] | undefined {
  const axes = ctx.node.attributes.get('axes') as number[] | undefined;
  return axes?.map((a) => (a < 0 ? a + 4 : a));
}

/** A scales or sizes input spread to all four axes (with `axes`, the others keep 1 / their size). */
function fourAxes(ctx: OpContext, given: number[], fill: readonly number[]): number[] {
  const axes = axesOf(ctx);
  if (!axes) return given;
  const full = [...fill];
  axes.forEach((a, i) => (full[a] = given[i] as number));
  return full;
}

/** Output sizes and the scales the coordinates use: from `sizes` (scale = out / in) or from `scales` (size = ⌊in·scale⌋). */
function outputAxes(ctx: OpContext, h: number, w: number, [n, c]: readonly number[]): [Axis, Axis] {
  // The kernel resamples H and W: a batch or channel axis asked to change (known only now, when the input is a feed) is an error.
  const keepsNc = (first: number, second: number, same: readonly number[]): void => {
    if (first !== same[0] || second !== same[1])
      throw new RangeError(
        `${ctx.node.opType} changes the batch or channel axis (${first}, ${second}), which the tfjs importer does not resample`,
      );
  };
  const { opType } = ctx.node;
  const sizesInput = opType === 'Resize' && ctx.opset >= 11 ? ctx.inputs[3] : undefined;
  if (sizesInput !== undefined && toHost(sizesInput).data.length > 0) {
    const [outN, outC, outH, outW] = fourAxes(ctx, toHost(sizesInput).data, [n as number, c as number, h, w]) as [
      number,
      number,
      number,
      number,
    ];
    keepsNc(outN, outC, [n as number, c as number]);
    return [
      { inSize: h, outSize: outH, scale: Math.fround(outH / h) },
      { inSize: w, outSize: outW, scale: Math.fround(outW / w) },
    ];
  }
  const scalesValue =
    opType === 'Upsample' && ctx.opset < 9 ? undefined : ctx.inputs[opType === 'Resize' && ctx.opset >= 11 ? 2 : 1];
  const scales =
    scalesValue === undefined
      ? attr(ctx, 'scales', [1, 1, 1, 1])
      : fourAxes(ctx, toHost(scalesValue as Value).data, [1, 1, 1, 1]);
  const [sh, sw] = [scales[2] as number, scales[3] as number];
  keepsNc(scales[0] as number, scales[1] as number, [1, 1]);
  return [
    { inSize: h, outSize: Math.floor(h * sh), scale: sh },
    { inSize: w, outSize: Math.floor(w * sw), scale: sw },
  ];
}

/**
 * 2-D Resize/Upsample of NCHW, nearest or linear, exactly as ONNX defines every coordinate_transformation_mode and
 * nearest_mode (the others are refused at load: resizeForm): the source index (and linear weight) of each output row and
 * column is computed on the host, and the image is gathered and blended one axis at a time.
 */
const resize: OpKernel = (ctx) => {
  const x = toTensor(input(ctx, 0)) as tf.Tensor4D;
  if (x.rank !== 4)
    throw new RangeError(
      `${ctx.node.opType} of a rank-${x.rank} input: the tfjs importer resizes NCHW images (rank 4) only`,
    );
  // The layout pass may hand the image in, and want it out, channels-last: the axes resampled follow.
  const inLast = ctx.channelsLastInput === true;
  const [h, w] = inLast ? [x.shape[1], x.shape[2]] : [x.shape[2], x.shape[3]];
  const [ah, aw] = outputAxes(ctx, h, w, inLast ? [x.shape[0], x.shape[3]] : [x.shape[0], x.shape[1]]);
  const modeAttr = attr(ctx, 'mode', 'nearest');
  const mode = modeAttr === 'nearest' ? 'nearest' : modeAttr === 'cubic' ? 'cubic' : 'linear';
  const cubic = { a: attr(ctx, 'cubic_coeff_a', -0.75), excludeOutside: attr(ctx, 'exclude_outside', 0) === 1 };
  // Resize-10 and Upsample have no coordinate or nearest modes: onnxruntime samples them asymmetrically.
  const legacy = ctx.node.opType === 'Upsample' || ctx.opset < 11;
  const transform = (legacy ? 'asymmetric' : attr(ctx, 'coordinate_transformation_mode', 'half_pixel')) as Transform;
  const nearest = (legacy ? 'simple' : attr(ctx, 'nearest_mode', 'round_prefer_floor')) as Nearest;
  if (mode === 'nearest' && matchesTfNearest(transform, nearest, ah) && matchesTfNearest(transform, nearest, aw)) {
    // tfjs' own kernel picks the same pixels here (source ⌊i / s⌋) and is much faster than two gathers.
    return [
      channelsLastOutput(
        ctx,
        tf.image.resizeNearestNeighbor(channelsLastInput(ctx), [ah.outSize, aw.outSize], false, false),
      ),
    ];
  }
  const [axisH, axisW] = inLast ? ([1, 2] as const) : ([2, 3] as const);
  const y = resampleAxis(
    resampleAxis(x, axisH, mode, transform, nearest, ah, cubic),
    axisW,
    mode,
    transform,
    nearest,
    aw,
    cubic,
  ) as tf.Tensor4D;
  if (inLast === (ctx.channelsLastOutput === true)) return [y];
  return [inLast ? toNchw(y) : toNhwc(y)];
};

/** Scales (or sizes) known at load that touch the batch or channel axis: the kernel resamples H and W alone. */
function batchOrChannelScaled(view: LoadView): UnsupportedForm | undefined {
  const { node, constants } = view;
  const scalesIndex = node.opType === 'Resize' && view.opset >= 11 ? 2 : 1;
  const scales =
    node.opType === 'Upsample' && view.opset < 9
      ? (attributeOf(node, 'scales') as number[] | undefined)
      : constants.get(node.inputs[scalesIndex] ?? '')?.data;
  const withAxes = attributeOf(node, 'axes') !== undefined;
  if (scales && scales.length > 0 && !withAxes && (scales.length !== 4 || scales[0] !== 1 || scales[1] !== 1))
    return { attribute: 'scales', value: Array.from(scales as ArrayLike<number>).join(',') };
  const sizes = node.opType === 'Resize' && view.opset >= 11 ? constants.get(node.inputs[3] ?? '')?.data : undefined;
  if (sizes && sizes.length !== 4 && !withAxes) return { attribute: 'sizes (rank)', value: sizes.length };
  return undefined;
}

function resizeForm(view: LoadView): UnsupportedForm | undefined {
  const { node } = view;
  const antialias = attributeOf(node, 'antialias');
  if (typeof antialias === 'number' && antialias !== 0) return { attribute: 'antialias', value: antialias };
  // Axes naming H and W (in either order) are what the kernel resamples anyway; others are refused.
  const axes = attributeOf(node, 'axes') as number[] | undefined;
  if (axes !== undefined && !axes.every((a) => [2, 3, -2, -1].includes(a)))
    return { attribute: 'axes', value: String(axes) };
  return firstOf(
    oneOf(node, 'mode', 'nearest', ['nearest', 'linear', 'bilinear', 'cubic']),
    oneOf(node, 'coordinate_transformation_mode', 'half_pixel', [
      'half_pixel',
      'pytorch_half_pixel',
      'align_corners',
      'asymmetric',
    ]),
    oneOf(node, 'nearest_mode', 'round_prefer_floor', ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']),
    oneOf(node, 'keep_aspect_ratio_policy', 'stretch', ['stretch']),
    batchOrChannelScaled(view),
    dtypeIn(view, 0, ['float32']),
  );
}

export const resizeOps: Record<string, OpEntry> = {
  Resize: { kernel: resize, refuse: resizeForm, note: 'NCHW, H and W, nearest, linear or cubic' },
  Upsample: { kernel: resize, refuse: resizeForm, opsets: [7, 9], note: 'NCHW, H and W' },
};
