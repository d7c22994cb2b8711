import * as tf from '@tensorflow/tfjs-core';
import type { OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import { toTensor } from './value.js';
import { INTEGER_DTYPES } from '../tfjs-dtypes.js';

/** Element types the integer kernels compute exactly in tfjs' int32 (int64 within ±2^31, checked as values reach a kernel). */
export const INT_DTYPES = INTEGER_DTYPES;

/**
 * a / b rounded toward zero, exactly, for int32 tensors (ONNX integer Div; tf.floorDiv rounds toward −∞). Kept in
 * int32 throughout: tfjs turns a JS number into a float32 scalar, and tfjs-wasm's Select copies the raw bytes of
 * mixed-dtype branches (an int 1 read as the float 1.4e-45).
 */
export function truncDiv(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const zero = tf.scalar(0, 'int32');
  const q = tf.floorDiv(a, b);
  // Floor and trunc differ by one where the division is inexact and the signs differ.
  const inexact = tf.notEqual(tf.sub(a, tf.mul(q, b)), zero);
  const signsDiffer = tf.notEqual(tf.less(a, zero), tf.less(b, zero));
  return tf.add(q, tf.cast(tf.logicalAnd(inexact, signsDiffer), 'int32'));
}

/** Broadcast pair in one dtype: int32 where both are integers, float32 otherwise. */
function pair(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return a.dtype === b.dtype ? [a, b] : [tf.cast(a, 'float32'), tf.cast(b, 'float32')];
}

export const integerOps: Record<string, OpEntry> = {
  // fmod = 0: the remainder takes the divisor's sign (integers only); fmod = 1: the dividend's, as C's fmod.
  Mod: {
    kernel: (ctx) => {
      const [a, b] = pair(toTensor(input(ctx, 0)), toTensor(input(ctx, 1)));
      if (attr(ctx, 'fmod', 0) === 0) return [tf.sub(a, tf.mul(tf.floorDiv(a, b), b))];
      if (a.dtype === 'int32') return [tf.sub(a, tf.mul(truncDiv(a, b), b))];
      const q = tf.div(a, b);
      return [tf.sub(a, tf.mul(tf.mul(tf.sign(q), tf.floor(tf.abs(q))), b))];
    },
    refuse: (view) => dtypeIn(view, 0, ['float32', ...INT_DTYPES]),
    opsets: [10],
  },
};
