import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import { toTensor } from './value.js';

/** numpy's matmul of operands of rank ≥ 2. */
function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 2 && b.rank === 2) return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  // One weight matrix for every row of a batch (a Linear layer): one 2-D product over all rows. tfjs-wasm's batched
  // kernel with a broadcast operand ran PP-OCR rec's classifier [6,100,120]×[120,6625] at 573 ms.
  if (a.rank > 2 && b.rank <= a.rank && b.shape.slice(0, -2).every((d) => d === 1)) {
    const [k, n] = b.shape.slice(-2) as [number, number];
    const y = tf.matMul(tf.reshape(a, [-1, k]) as tf.Tensor2D, tf.reshape(b, [k, n]) as tf.Tensor2D);
    return tf.reshape(y, [...a.shape.slice(0, -1), n]);
  }
  // Batched: the batch dims broadcast as numpy's; tfjs' rank-3 product broadcasts a batch of 1, others are expanded.
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const size = (dims: number[]): number => dims.reduce((x, y) => x * y, 1);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape.at(-1) as number;
  const flat = (t: tf.Tensor, rows: number, cols: number): tf.Tensor3D => {
    const own = t.shape.slice(0, -2);
    const expanded = size(own) === 1 || size(own) === size(batch) ? t : tf.broadcastTo(t, [...batch, rows, cols]);
    return tf.reshape(expanded, [-1, rows, cols]) as tf.Tensor3D;
  };
  const y = tf.matMul(flat(a, m, k), flat(b, k, n));
  return tf.reshape(y, [...batch, m, n]);
}

export const linearOps: Record<string, OpKernel> = {
  MatMul: (ctx) => {
    const a = toTensor(input(ctx, 0));
    const b = toTensor(input(ctx, 1));
    // 1-D operands, as numpy's matmul: a vector a is a row [1, K], a vector b a column [K, 1]; the added axis goes after.
    if (a.rank === 1 || b.rank === 1) {
      const y = matMul(a.rank === 1 ? tf.reshape(a, [1, -1]) : a, b.rank === 1 ? tf.reshape(b, [-1, 1]) : b);
      const dims = [...y.shape];
      if (b.rank === 1) dims.splice(-1, 1);
      if (a.rank === 1) dims.splice(-(b.rank === 1 ? 1 : 2), 1);
      return [tf.reshape(y, dims)];
    }
    return [matMul(a, b)];
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
