import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import { toNchw, toNhwc, window2d } from './conv.js';
import { toTensor } from './value.js';

/** Extra bottom/right padding so that ceil_mode's last partial window exists. */
function ceilPads(size: number, kernel: number, stride: number, before: number, after: number): number {
  const floorOut = Math.floor((size + before + after - kernel) / stride) + 1;
  const ceilOut = Math.ceil((size + before + after - kernel) / stride) + 1;
  return ceilOut > floorOut ? (ceilOut - 1) * stride + kernel - (size + before + after) : 0;
}

function pool(kind: 'max' | 'avg'): OpKernel {
  return (ctx) => {
    const x = toTensor(input(ctx, 0)) as tf.Tensor4D;
    const kernel = attr(ctx, 'kernel_shape', [1, 1]) as [number, number];
    const win = window2d(ctx, kernel, x.shape[2], x.shape[3]);
    const [[top, bottom], [left, right]] = win.pads;
    const ceil = attr(ctx, 'ceil_mode', 0) === 1;
    const extraH = ceil ? ceilPads(x.shape[2], kernel[0], win.strides[0], top, bottom) : 0;
    const extraW = ceil ? ceilPads(x.shape[3], kernel[1], win.strides[1], left, right) : 0;
    const pads: [number, number][] = [[0, 0], [top, bottom + extraH], [left, right + extraW], [0, 0]];
    const padded = pads.some(([a, b]) => a || b);
    const xh = toNhwc(x);
    if (kind === 'max') {
      const source = padded ? tf.pad(xh, pads, -3.4e38) : xh;
      return [toNchw(tf.maxPool(source as tf.Tensor4D, kernel, win.strides, 'valid'))];
    }
    if (!padded) return [toNchw(tf.avgPool(xh, kernel, win.strides, 'valid'))];
    // Average over the real pixels of each window (count_include_pad = 0, the default), or over all of it.
    const sums = tf.avgPool(tf.pad(xh, pads) as tf.Tensor4D, kernel, win.strides, 'valid');
    if (attr(ctx, 'count_include_pad', 0) === 1 && !extraH && !extraW) return [toNchw(sums)];
    const ones = tf.pad(tf.ones([1, x.shape[2], x.shape[3], 1]), pads) as tf.Tensor4D;
    return [toNchw(tf.div(sums, tf.avgPool(ones, kernel, win.strides, 'valid')))];
  };
}

export const poolOps: Record<string, OpKernel> = {
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  GlobalAveragePool: (ctx) => [tf.mean(toTensor(input(ctx, 0)), [2, 3], true)],
  GlobalMaxPool: (ctx) => [tf.max(toTensor(input(ctx, 0)), [2, 3], true)],
};
