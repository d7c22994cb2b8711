import * as tf from '@tensorflow/tfjs-core';
import type { LoadView, OpContext, OpEntry, OpKernel, UnsupportedForm } from './op-context.js';
import { allOnes, attributeOf, dtypeIn, firstOf, notDefault, wanted } from './form-checks.js';
import type { Value } from './value.js';
import { NUMERIC_DTYPES } from '../tfjs-dtypes.js';
import { attr, input } from './op-context.js';
import { channelsLastInput, channelsLastOutput, toNchw, toNhwc, window2d } from './conv.js';
import { dimsOf, toHost, toTensor } from './value.js';

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
    const pads: [number, number][] = [
      [0, 0],
      [top, bottom + extraH],
      [left, right + extraW],
      [0, 0],
    ];
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
    const explicit: [number, number][] = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    let counted = tf.ones([1, height, width, 1]);
    if (attr(ctx, 'count_include_pad', 0) === 1) {
      if (!extraH && !extraW) return out(sums);
      counted = tf.pad(counted, explicit, 1);
      counted = tf.pad(counted, [
        [0, 0],
        [0, extraH],
        [0, extraW],
        [0, 0],
      ]);
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

/**
 * Max or average pooling of any spatial rank, with dilations, pads, auto_pad, ceil_mode and count_include_pad, on the
 * host: for what tfjs' own pools do not take (3-D windows, dilations), exact and slow.
 */
function hostPool(kind: 'max' | 'avg'): OpKernel {
  return (ctx) => {
    const x = toHost(input(ctx, 0));
    const [n, c, ...spatial] = x.dims as [number, number, ...number[]];
    const rank = spatial.length;
    const kernel = attr(ctx, 'kernel_shape', []);
    const strides = attr(
      ctx,
      'strides',
      spatial.map(() => 1),
    );
    const dilations = attr(
      ctx,
      'dilations',
      spatial.map(() => 1),
    );
    const autoPad = attr(ctx, 'auto_pad', 'NOTSET');
    const ceil = attr(ctx, 'ceil_mode', 0) === 1;
    const extent = kernel.map((k, i) => (k - 1) * (dilations[i] as number) + 1);
    let pads = attr(ctx, 'pads', [...spatial.map(() => 0), ...spatial.map(() => 0)]);
    const out = spatial.map((size, i) => {
      const s = strides[i] as number;
      const e = extent[i] as number;
      if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / s);
      if (autoPad === 'VALID') return Math.floor((size - e) / s) + 1;
      const span = size + (pads[i] as number) + (pads[i + rank] as number) - e;
      let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
      // ceil_mode drops a last window that would start in the end padding.
      if (ceil && (o - 1) * s >= size + (pads[i] as number)) o -= 1;
      return o;
    });
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const total = spatial.map((size, i) =>
        Math.max(0, ((out[i] as number) - 1) * (strides[i] as number) + (extent[i] as number) - size),
      );
      const begin = total.map((t) => (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2)));
      pads = [...begin, ...total.map((t, i) => t - (begin[i] as number))];
    } else if (autoPad === 'VALID') pads = pads.map(() => 0);
    const includePad = attr(ctx, 'count_include_pad', 0) === 1;
    const outSize = out.reduce((a, b) => a * b, 1);
    const inSize = spatial.reduce((a, b) => a * b, 1);
    const windowSize = kernel.reduce((a, b) => a * b, 1);
    const y = new Float32Array(n * c * outSize);
    const coord = new Array<number>(rank);
    for (let o = 0; o < outSize; o++) {
      // This output's window start per axis.
      let rest = o;
      for (let i = rank - 1; i >= 0; i--) {
        coord[i] = (rest % (out[i] as number)) * (strides[i] as number) - (pads[i] as number);
        rest = Math.floor(rest / (out[i] as number));
      }
      const offsets: number[] = [];
      let counted = 0;
      for (let w = 0; w < windowSize; w++) {
        let restW = w;
        let offset = 0;
        let inside = true;
        let inPadded = true;
        for (let i = rank - 1, stride = 1; i >= 0; i--) {
          const k = restW % (kernel[i] as number);
          restW = Math.floor(restW / (kernel[i] as number));
          const p = (coord[i] as number) + k * (dilations[i] as number);
          if (p < 0 || p >= (spatial[i] as number)) inside = false;
          if (p < -(pads[i] as number) || p >= (spatial[i] as number) + (pads[i + rank] as number)) inPadded = false;
          offset += p * stride;
          stride *= spatial[i] as number;
        }
        if (inside) offsets.push(offset);
        if (includePad ? inPadded : inside) counted++;
      }
      for (let plane = 0; plane < n * c; plane++) {
        const base = plane * inSize;
        let v = kind === 'max' ? -Infinity : 0;
        for (const off of offsets)
          v = kind === 'max' ? Math.max(v, x.data[base + off] as number) : v + (x.data[base + off] as number);
        y[plane * outSize + o] = kind === 'max' ? v : v / counted;
      }
    }
    return [tf.tensor(y, [n, c, ...out], x.dtype === 'float32' ? 'float32' : 'int32')];
  };
}

/** A 1-D pool as a 2-D one of height 1 (the window attributes given a leading 1, pads a 0 before and after). */
function pool(kind: 'max' | 'avg' | 'lp'): OpKernel {
  const kernel2d = kind === 'lp' ? lpPool2d : pool2d(kind);
  const general = kind === 'lp' ? undefined : hostPool(kind);
  return (ctx) => {
    const x = toTensor(input(ctx, 0));
    // tfjs pools 1-D (lifted) and 2-D windows without dilations; the rest pools on the host.
    if (general && (x.rank > 4 || x.dtype !== 'float32' || allOnes(ctx.node, 'dilations') !== undefined)) {
      // The host pools NCHW: a channels-last input (the layout pass) goes back, and the result follows the plan.
      const y = toTensor(
        general({ ...ctx, inputs: [ctx.channelsLastInput ? toNchw(x) : x], channelsLastInput: false })[0] as Value,
      );
      return [ctx.channelsLastOutput ? toNhwc(y) : y];
    }
    if (x.rank !== 3) return kernel2d(ctx);
    const attributes = new Map(ctx.node.attributes);
    for (const name of ['kernel_shape', 'strides', 'dilations', 'pads']) {
      const v = attributes.get(name);
      if (Array.isArray(v)) attributes.set(name, name === 'pads' ? [0, v[0] as number, 0, v[1] as number] : [1, ...v]);
    }
    const lifted: OpContext = {
      ...ctx,
      node: { ...ctx.node, attributes },
      inputs: [tf.expandDims(x, 2)],
      channelsLastInput: false,
      channelsLastOutput: false,
    };
    return [tf.squeeze(toTensor(kernel2d(lifted)[0] as Value), [2])];
  };
}

/** Any window (3-D and dilated ones pool on the host); MaxPool's Indices output is not computed. */
function poolForm({ node }: LoadView): UnsupportedForm | undefined {
  return wanted(node, 1, 'Indices');
}

/** LpPool: 1-D and 2-D windows without dilations or ceil_mode. */
function lpPoolForm({ node }: LoadView): UnsupportedForm | undefined {
  const kernel = attributeOf(node, 'kernel_shape');
  if (Array.isArray(kernel) && kernel.length !== 1 && kernel.length !== 2)
    return { attribute: 'kernel_shape (spatial rank)', value: kernel.length };
  return firstOf(allOnes(node, 'dilations'), notDefault(node, 'ceil_mode', 0));
}

/** The axes a global pool reduces: H and W of channels-last rank 4, else every axis after N and C (1-D to 3-D). */
const spatialAxes = (ctx: OpContext): number[] =>
  ctx.channelsLastInput ? [1, 2] : Array.from({ length: dimsOf(input(ctx, 0)).length - 2 }, (_, i) => i + 2);

export const poolOps: Record<string, OpEntry> = {
  MaxPool: {
    kernel: pool('max'),
    refuse: (view) => firstOf(poolForm(view), dtypeIn(view, 0, NUMERIC_DTYPES)),
    note: '1-D and 2-D on tfjs, 3-D and dilated on the host; ceil_mode; no Indices',
  },
  LpPool: {
    kernel: pool('lp'),
    refuse: (view) => firstOf(lpPoolForm(view), dtypeIn(view, 0, ['float32'])),
    note: '1-D and 2-D, no ceil_mode, no dilations',
  },
  AveragePool: {
    kernel: pool('avg'),
    refuse: (view) => firstOf(poolForm(view), dtypeIn(view, 0, ['float32'])),
    note: '1-D and 2-D on tfjs, 3-D and dilated on the host; ceil_mode, count_include_pad',
  },
  // Channels-last in (the layout pass) means channels-last out: only the pooled axes move.
  GlobalAveragePool: (ctx) => [tf.mean(toTensor(input(ctx, 0)), spatialAxes(ctx), true)],
  GlobalMaxPool: (ctx) => [tf.max(toTensor(input(ctx, 0)), spatialAxes(ctx), true)],
};
