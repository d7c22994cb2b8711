import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import { toHost, toTensor } from './value.js';

function reduce(f: (x: tf.Tensor, axes: number[], keep: boolean) => tf.Tensor, axesInputSince: number): OpKernel {
  return (ctx: OpContext) => {
    const x = toTensor(input(ctx, 0));
    const given = ctx.opset < axesInputSince ? (ctx.node.attributes.get('axes') as number[] | undefined) : ctx.inputs[1] === undefined ? undefined : toHost(ctx.inputs[1]).data;
    const axes = (given ?? [...x.shape.keys()]).map((a) => (a < 0 ? a + x.rank : a));
    return [f(x, axes, attr(ctx, 'keepdims', 1) === 1)];
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

export const reduceOps: Record<string, OpKernel> = {
  ReduceMean: reduce(tf.mean, 18),
  ReduceSum: reduce(tf.sum, 13),
  ReduceMax: reduce(tf.max, 18),
  ReduceMin: reduce(tf.min, 18),
  Softmax: softmaxLike((x) => tf.softmax(x)),
  LogSoftmax: softmaxLike((x) => tf.logSoftmax(x)),
  ArgMax: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axis = attr(ctx, 'axis', 0);
    const y = tf.argMax(x, axis);
    return [attr(ctx, 'keepdims', 1) === 1 ? tf.expandDims(y, axis < 0 ? axis + x.rank : axis) : y];
  },
};
