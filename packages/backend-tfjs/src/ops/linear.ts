import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import { toTensor } from './value.js';

export const linearOps: Record<string, OpKernel> = {
  MatMul: (ctx) => {
    const a = toTensor(input(ctx, 0));
    const b = toTensor(input(ctx, 1));
    if (a.rank === 2 && b.rank === 2) return [tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)];
    // Batched: tfjs broadcasts the batch dims of rank-3 operands; reshape the rest around it.
    const batchA = a.shape.slice(0, -2);
    const last2 = (t: tf.Tensor): [number, number] => t.shape.slice(-2) as [number, number];
    const a3 = tf.reshape(a, [-1, ...last2(a)]) as tf.Tensor3D;
    const b3 = (b.rank === 2 ? tf.expandDims(b, 0) : tf.reshape(b, [-1, ...last2(b)])) as tf.Tensor3D;
    const y = tf.matMul(a3, b3);
    const [, rows, cols] = y.shape as [number, number, number];
    return [tf.reshape(y, [...(batchA.length ? batchA : b.shape.slice(0, -2)), rows, cols])];
  },
  Gemm: (ctx) => {
    let a = toTensor(input(ctx, 0)) as tf.Tensor2D;
    const b = toTensor(input(ctx, 1)) as tf.Tensor2D;
    if (a.rank > 2) a = tf.reshape(a, [a.shape[0], -1]) as tf.Tensor2D;
    let y: tf.Tensor = tf.matMul(a, b, attr(ctx, 'transA', 0) === 1, attr(ctx, 'transB', 0) === 1);
    const alpha = attr(ctx, 'alpha', 1);
    if (alpha !== 1) y = tf.mul(y, alpha);
    const c = ctx.inputs[2];
    if (c !== undefined) y = tf.add(y, tf.mul(toTensor(c), attr(ctx, 'beta', 1)));
    return [y];
  },
};
