import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import { channelsLastInput, channelsLastOutput, window2d } from './conv.js';
import { toTensor } from './value.js';

/** Extra bottom/right padding so that ceil_mode's last partial window exists. */
function ceilPads(size: number, kernel: number, stride: number, before: number, after: number): number {
  const floorOut = Math.floor((size + before + after - kernel) / stride) + 1;
  const ceilOut = Math.ceil((size + before + after - kernel) / stride) + 1;
  return ceilOut > floorOut ? (ceilOut - 1) * stride + kernel - (size + before + after) : 0;
}

function pool(kind: 'max' | 'avg'): OpKernel {
  return (ctx) => {
    const xh = channelsLastInput(ctx);
    const [, height, width] = xh.shape;
    const kernel = attr(ctx, 'kernel_shape', [1, 1]) as [number, number];
    const win = window2d(ctx, kernel, height, width);
    const [[top, bottom], [left, right]] = win.pads;
    const ceil = attr(ctx, 'ceil_mode', 0) === 1;
    const extraH = ceil ? ceilPads(height, kernel[0], win.strides[0], top, bottom) : 0;
    const extraW = ceil ? ceilPads(width, kernel[1], win.strides[1], left, right) : 0;
    const pads: [number, number][] = [[0, 0], [top, bottom + extraH], [left, right + extraW], [0, 0]];
    const padded = pads.some(([a, b]) => a || b);
    const out = (y: tf.Tensor4D): tf.Tensor4D[] => [channelsLastOutput(ctx, y)];
    if (kind === 'max') {
      const source = padded ? tf.pad(xh, pads, -3.4e38) : xh;
      return out(tf.maxPool(source as tf.Tensor4D, kernel, win.strides, 'valid'));
    }
    if (!padded) return out(tf.avgPool(xh, kernel, win.strides, 'valid'));
    // Average over the real pixels of each window (count_include_pad = 0, the default), or over all of it.
    const sums = tf.avgPool(tf.pad(xh, pads) as tf.Tensor4D, kernel, win.strides, 'valid');
    if (attr(ctx, 'count_include_pad', 0) === 1 && !extraH && !extraW) return out(sums);
    const ones = tf.pad(tf.ones([1, height, width, 1]), pads) as tf.Tensor4D;
    return out(tf.div(sums, tf.avgPool(ones, kernel, win.strides, 'valid')));
  };
}

export const poolOps: Record<string, OpKernel> = {
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  // Channels-last in (the layout pass) means channels-last out: only the pooled axes move.
  GlobalAveragePool: (ctx) => [tf.mean(toTensor(input(ctx, 0)), ctx.channelsLastInput ? [1, 2] : [2, 3], true)],
  GlobalMaxPool: (ctx) => [tf.max(toTensor(input(ctx, 0)), ctx.channelsLastInput ? [1, 2] : [2, 3], true)],
};
