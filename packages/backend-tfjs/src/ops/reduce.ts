import * as tf from '@tensorflow/tfjs-core';
import type { LoadView, OpContext, OpEntry, OpKernel } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import { NUMERIC_DTYPES } from '../tfjs-dtypes.js';
import { attr, input } from './op-context.js';
import { toHost, toTensor } from './value.js';

/** A reduction: its tfjs kernel, and what it gives over an empty set (ONNX: the operation's identity). */
interface Reduction {
  f: (x: tf.Tensor, axes: number[], keep: boolean) => tf.Tensor;
  empty: number;
  /** The first opset whose axes are an input (ReduceSum 13, the others 18). */
  axesInputSince: number;
}

function reduce({ f, empty, axesInputSince }: Reduction): OpKernel {
  return (ctx: OpContext) => {
    const x = toTensor(input(ctx, 0));
    const given =
      ctx.opset < axesInputSince
        ? (ctx.node.attributes.get('axes') as number[] | undefined)
        : ctx.inputs[1] === undefined
          ? undefined
          : toHost(ctx.inputs[1]).data;
    // No axes (omitted or empty): every axis, unless noop_with_empty_axes makes it the identity.
    if ((given === undefined || given.length === 0) && attr(ctx, 'noop_with_empty_axes', 0) === 1) return [x];
    const axes = (given !== undefined && given.length > 0 ? given : [...x.shape.keys()]).map((a) =>
      a < 0 ? a + x.rank : a,
    );
    const keep = attr(ctx, 'keepdims', 1) === 1;
    if (x.size === 0) {
      // tfjs kernels read past an empty input: the result is the operation's identity, of the reduced shape.
      const dims = x.shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d]));
      const fill = x.dtype === 'int32' && !Number.isFinite(empty) ? (empty > 0 ? 2 ** 31 - 1 : -(2 ** 31)) : empty;
      return [tf.fill(dims, fill, x.dtype === 'bool' ? 'float32' : x.dtype)];
    }
    // Bool (ReduceMax/Min, opset 20: any / all) reduces as 0/1.
    if (x.dtype === 'bool') return [tf.cast(f(tf.cast(x, 'int32'), axes, keep), 'bool')];
    return [f(x, axes, keep)];
  };
}

const square = (x: tf.Tensor): tf.Tensor => tf.mul(x, x);

const REDUCTIONS: Record<string, Reduction> = {
  ReduceSum: { f: tf.sum, empty: 0, axesInputSince: 13 },
  ReduceMean: { f: tf.mean, empty: NaN, axesInputSince: 18 },
  ReduceMax: { f: tf.max, empty: -Infinity, axesInputSince: 18 },
  ReduceMin: { f: tf.min, empty: Infinity, axesInputSince: 18 },
  ReduceProd: { f: tf.prod, empty: 1, axesInputSince: 18 },
  ReduceL1: { f: (x, axes, keep) => tf.sum(tf.abs(x), axes, keep), empty: 0, axesInputSince: 18 },
  ReduceL2: { f: (x, axes, keep) => tf.sqrt(tf.sum(square(x), axes, keep)), empty: 0, axesInputSince: 18 },
  ReduceSumSquare: { f: (x, axes, keep) => tf.sum(square(x), axes, keep), empty: 0, axesInputSince: 18 },
  ReduceLogSum: { f: (x, axes, keep) => tf.log(tf.sum(x, axes, keep)), empty: -Infinity, axesInputSince: 18 },
  ReduceLogSumExp: { f: (x, axes, keep) => tf.logSumExp(x, axes, keep), empty: -Infinity, axesInputSince: 18 },
};

/** ArgMax / ArgMin along `axis`; select_last_index picks the last of equal extremes (the first, reversed). */
function argExtreme(f: (x: tf.Tensor, axis: number) => tf.Tensor): OpKernel {
  return (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axisAttr = attr(ctx, 'axis', 0);
    const axis = axisAttr < 0 ? axisAttr + x.rank : axisAttr;
    const last = attr(ctx, 'select_last_index', 0) === 1;
    const y = last
      ? tf.sub(tf.scalar((x.shape[axis] as number) - 1, 'int32'), f(tf.reverse(x, axis), axis))
      : f(x, axis);
    return [attr(ctx, 'keepdims', 1) === 1 ? tf.expandDims(y, axis) : y];
  };
}

/** Softmax before opset 13 flattens to [∏ dims before axis, ∏ dims from axis]; from 13 it is per axis. */
function softmaxLike(f: (x: tf.Tensor) => tf.Tensor): OpKernel {
  return (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axisAttr = attr(ctx, 'axis', ctx.opset < 13 ? 1 : -1);
    const axis = axisAttr < 0 ? axisAttr + x.rank : axisAttr;
    if (ctx.opset >= 13 || axis === x.rank - 1) {
      if (axis === x.rank - 1) return [f(x)];
      const perm = [...x.shape.keys()];
      [perm[axis], perm[x.rank - 1]] = [x.rank - 1, axis];
      return [tf.transpose(f(tf.transpose(x, perm)), perm)];
    }
    const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    return [tf.reshape(f(tf.reshape(x, [outer, -1])), x.shape)];
  };
}

/** 1 at the first maximum along the last axis, 0 elsewhere (not tf.oneHot: tfjs-wasm's ignores a float32 dtype). */
const hardmaxLastAxis = (x: tf.Tensor): tf.Tensor => {
  const n = x.shape.at(-1) as number;
  const first = tf.reshape(tf.argMax(tf.reshape(x, [-1, n]), 1), [-1, 1]);
  return tf.reshape(tf.cast(tf.equal(tf.reshape(tf.range(0, n, 1, 'int32'), [1, n]), first), 'float32'), x.shape);
};

export const reduceOps: Record<string, OpEntry> = {
  ...Object.fromEntries(
    Object.entries(REDUCTIONS).map(([op, r]) => [
      op,
      {
        kernel: reduce(r),
        refuse: (view: LoadView) =>
          dtypeIn(view, 0, op === 'ReduceMax' || op === 'ReduceMin' ? [...NUMERIC_DTYPES, 'bool'] : NUMERIC_DTYPES),
      },
    ]),
  ),
  Softmax: softmaxLike((x) => tf.softmax(x)),
  LogSoftmax: softmaxLike((x) => tf.logSoftmax(x)),
  Hardmax: softmaxLike(hardmaxLastAxis),
  ArgMax: { kernel: argExtreme(tf.argMax), refuse: (view) => dtypeIn(view, 0, NUMERIC_DTYPES) },
  ArgMin: { kernel: argExtreme(tf.argMin), refuse: (view) => dtypeIn(view, 0, NUMERIC_DTYPES) },
};
