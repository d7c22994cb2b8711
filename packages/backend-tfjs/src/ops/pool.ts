import * as tf from '@tensorflow/tfjs-core';
import type { LoadView, OpContext, OpEntry, OpKernel, UnsupportedForm } from './op-context.js';
import { allOnes, attributeOf, dtypeIn, firstOf, notDefault, wanted } from './form-checks.js';
import type { Value } from './value.js';
import { attr, input } from './op-context.js';
import { channelsLastInput, channelsLastOutput, window2d } from './conv.js';
import { dimsOf, toTensor } from './value.js';

/**
 * Extra bottom/right padding so that ceil_mode's last partial window exists: ONNX rounds the output size up, but drops
 * a last window that would start in the right padding.
 */
function ceilPads(size: number, kernel: number, stride: number, before: number, after: number): number {
  const floorOut = Math.floor((size + before + after - kernel) / stride) + 1;
  let ceilOut = Math.ceil((size + before + after - kernel) / stride) + 1;
  if ((ceilOut - 1) * stride >= size + before) ceilOut -= 1;
  return ceilOut > floorOut ? (ceilOut - 1) * stride + kernel - (size + before + after) : 0;
}

function pool2d(kind: 'max' | 'avg'): OpKernel {
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
      const source = padded ? tf.pad(xh, pads, -Infinity) : xh;
      return out(tf.maxPool(source as tf.Tensor4D, kernel, win.strides, 'valid'));
    }
    if (!padded) return out(tf.avgPool(xh, kernel, win.strides, 'valid'));
    // The mean over each window's counted cells: the real pixels (count_include_pad = 0, the default), or those and
    // the explicit pads, never ceil_mode's extra cells.
    const sums = tf.avgPool(tf.pad(xh, pads) as tf.Tensor4D, kernel, win.strides, 'valid');
    const explicit: [number, number][] = [[0, 0], [top, bottom], [left, right], [0, 0]];
    let counted = tf.ones([1, height, width, 1]);
    if (attr(ctx, 'count_include_pad', 0) === 1) {
      if (!extraH && !extraW) return out(sums);
      counted = tf.pad(counted, explicit, 1);
      counted = tf.pad(counted, [[0, 0], [0, extraH], [0, extraW], [0, 0]]);
    } else counted = tf.pad(counted, pads);
    return out(tf.div(sums, tf.avgPool(counted as tf.Tensor4D, kernel, win.strides, 'valid')));
  };
}

/** (Σ |x|ᵖ)^(1/p) over each window: a sum pool of |x|ᵖ (zeros padded, a mean pool times the window's size). */
const lpPool2d: OpKernel = (ctx) => {
  const xh = channelsLastInput(ctx);
  const [, height, width] = xh.shape;
  const kernel = attr(ctx, 'kernel_shape', [1, 1]) as [number, number];
  const win = window2d(ctx, kernel, height, width);
  const p = attr(ctx, 'p', 2);
  const powered = tf.pow(tf.abs(xh), p);
  const padded = tf.pad(powered, [[0, 0], win.pads[0], win.pads[1], [0, 0]]) as tf.Tensor4D;
  const sums = tf.mul(tf.avgPool(padded, kernel, win.strides, 'valid'), kernel[0] * kernel[1]);
  return [channelsLastOutput(ctx, tf.pow(sums, 1 / p) as tf.Tensor4D)];
};

/** A 1-D pool as a 2-D one of height 1 (the window attributes given a leading 1, pads a 0 before and after). */
function pool(kind: 'max' | 'avg' | 'lp'): OpKernel {
  const kernel2d = kind === 'lp' ? lpPool2d : pool2d(kind);
  return (ctx) => {
    const x = toTensor(input(ctx, 0));
    if (x.rank !== 3) return kernel2d(ctx);
    const attributes = new Map(ctx.node.attributes);
    for (const name of ['kernel_shape', 'strides', 'dilations', 'pads']) {
      const v = attributes.get(name);
      if (Array.isArray(v)) attributes.set(name, name === 'pads' ? [0, v[0] as number, 0, v[1] as number] : [1, ...v]);
    }
    const lifted: OpContext = { ...ctx, node: { ...ctx.node, attributes }, inputs: [tf.expandDims(x, 2)], channelsLastInput: false, channelsLastOutput: false };
    return [tf.squeeze(toTensor(kernel2d(lifted)[0] as Value), [2])];
  };
}

/** 1-D and 2-D windows without dilations; MaxPool's Indices output is not computed. */
function poolForm({ node }: LoadView): UnsupportedForm | undefined {
  const kernel = attributeOf(node, 'kernel_shape');
  if (Array.isArray(kernel) && kernel.length !== 1 && kernel.length !== 2) return { attribute: 'kernel_shape (spatial rank)', value: kernel.length };
  return firstOf(allOnes(node, 'dilations'), wanted(node, 1, 'Indices'));
}

/** The axes a global pool reduces: H and W of channels-last rank 4, else every axis after N and C (1-D to 3-D). */
const spatialAxes = (ctx: OpContext): number[] => (ctx.channelsLastInput ? [1, 2] : Array.from({ length: dimsOf(input(ctx, 0)).length - 2 }, (_, i) => i + 2));

export const poolOps: Record<string, OpEntry> = {
  MaxPool: { kernel: pool('max'), refuse: (view) => firstOf(poolForm(view), dtypeIn(view, 0, ['float32'])), note: '1-D and 2-D, ceil_mode, no dilations, no Indices' },
  LpPool: { kernel: pool('lp'), refuse: (view) => firstOf(poolForm(view), notDefault(view.node, 'ceil_mode', 0), dtypeIn(view, 0, ['float32'])), note: '1-D and 2-D, no ceil_mode, no dilations' },
  AveragePool: { kernel: pool('avg'), refuse: (view) => firstOf(poolForm(view), dtypeIn(view, 0, ['float32'])), note: '1-D and 2-D, ceil_mode, count_include_pad, no dilations' },
  // Channels-last in (the layout pass) means channels-last out: only the pooled axes move.
  GlobalAveragePool: (ctx) => [tf.mean(toTensor(input(ctx, 0)), spatialAxes(ctx), true)],
  GlobalMaxPool: (ctx) => [tf.max(toTensor(input(ctx, 0)), spatialAxes(ctx), true)],
};
