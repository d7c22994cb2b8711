import * as tf from '@tensorflow/tfjs-core';
import type { LoadView, OpContext, OpEntry, OpKernel, UnsupportedForm } from './op-context.js';
import { allOnes, attributeOf, dtypeIn, firstOf, oneOf, spatialRank } from './form-checks.js';
import { attr, input } from './op-context.js';
import type { AttributeValue } from '../onnx/onnx-graph.js';
import type { FusedActivation } from '../onnx/fuse-conv-activation.js';
import { FUSED_ACTIVATION } from '../onnx/fuse-conv-activation.js';
import type { Value } from './value.js';
import { toTensor } from './value.js';

/** NCHW → NHWC and back: tfjs convolutions and pools run channels-last on every backend. */
export const toNhwc = (x: tf.Tensor): tf.Tensor4D => tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
export const toNchw = (x: tf.Tensor): tf.Tensor4D => tf.transpose(x, [0, 3, 1, 2]) as tf.Tensor4D;

/** A conv's or pool's data input, channels-last: as it is when the layout pass kept it so, transposed otherwise. */
export const channelsLastInput = (ctx: OpContext): tf.Tensor4D => {
  const x = toTensor(input(ctx, 0)) as tf.Tensor4D;
  return ctx.channelsLastInput ? x : toNhwc(x);
};

/** A conv's or pool's channels-last result, transposed back to NCHW unless the layout pass keeps it channels-last. */
export const channelsLastOutput = (ctx: OpContext, y: tf.Tensor4D): tf.Tensor4D =>
  ctx.channelsLastOutput ? y : toNchw(y);

export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** [[top, bottom], [left, right]] */
  pads: [[number, number], [number, number]];
}

/** kernel_shape, strides, dilations, pads and auto_pad of a 2-D conv or pool, for an input of height × width. */
export function window2d(ctx: OpContext, kernel: [number, number], height: number, width: number): Window2d {
  const strides = attr(ctx, 'strides', [1, 1]) as [number, number];
  const dilations = attr(ctx, 'dilations', [1, 1]) as [number, number];
  const autoPad = attr(ctx, 'auto_pad', 'NOTSET');
  let pads = attr(ctx, 'pads', [0, 0, 0, 0]);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const total = [height, width].map((size, i) => {
      const out = Math.ceil(size / (strides[i] as number));
      return Math.max(
        0,
        (out - 1) * (strides[i] as number) + ((kernel[i] as number) - 1) * (dilations[i] as number) + 1 - size,
      );
    });
    const lower = (t: number): number => (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2));
    pads = [
      lower(total[0] as number),
      lower(total[1] as number),
      (total[0] as number) - lower(total[0] as number),
      (total[1] as number) - lower(total[1] as number),
    ];
  } else if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  return {
    kernel,
    strides,
    dilations,
    pads: [
      [pads[0] as number, pads[2] as number],
      [pads[1] as number, pads[3] as number],
    ],
  };
}

/**
 * A 1-D Conv or ConvTranspose as a 2-D one of height 1: x [N, C, L] → [N, C, 1, L], weight [O, I, k] → [O, I, 1, k],
 * and the window attributes given a leading 1 (pads a 0 before and after).
 */
function lifted1d(kernel2d: (ctx: OpContext) => Value[]): (ctx: OpContext) => Value[] {
  return (ctx) => {
    const x = toTensor(input(ctx, 0));
    const w = toTensor(input(ctx, 1));
    const lift = (name: string, leading: number[]): AttributeValue | undefined => {
      const v = ctx.node.attributes.get(name);
      return Array.isArray(v) ? (name === 'pads' ? [0, v[0] as number, 0, v[1] as number] : [...leading, ...v]) : v;
    };
    const attributes = new Map(ctx.node.attributes);
    for (const name of ['kernel_shape', 'strides', 'dilations', 'pads', 'output_padding']) {
      const lifted = lift(name, name === 'output_padding' ? [0] : [1]);
      if (lifted !== undefined) attributes.set(name, lifted);
    }
    const lifted: OpContext = {
      ...ctx,
      node: { ...ctx.node, name: `${ctx.node.name}#1d`, attributes },
      inputs: [tf.expandDims(x, 2), tf.expandDims(w, 2), ...ctx.inputs.slice(2)],
      channelsLastInput: false,
      channelsLastOutput: false,
    };
    return [tf.squeeze(toTensor(kernel2d(lifted)[0] as Value), [2])];
  };
}

const conv1d = lifted1d(conv2dKernel);
/** Ranks the kernels take: a weight that is a feed hides the spatial rank at load, so it is checked here. */
function spatialRankAtRun(ctx: OpContext): number {
  const rank = toTensor(input(ctx, 0)).rank;
  if (rank !== 3 && rank !== 4)
    throw new RangeError(
      `${ctx.node.opType} of a rank-${rank} input: the tfjs importer convolves 1-D and 2-D inputs only`,
    );
  return rank;
}

const conv: OpKernel = (ctx) => (spatialRankAtRun(ctx) === 3 ? conv1d(ctx) : conv2dKernel(ctx));

function conv2dKernel(ctx: OpContext): Value[] {
  const xh = channelsLastInput(ctx);
  const wValue = input(ctx, 1);
  const w = toTensor(wValue);
  const [outChannels, inPerGroup, kh, kw] = w.shape as [number, number, number, number];
  const group = attr(ctx, 'group', 1);
  const [, height, width, inChannels] = xh.shape;
  const win = window2d(ctx, attr(ctx, 'kernel_shape', [kh, kw]) as [number, number], height, width);
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    win.pads[0],
    win.pads[1],
    [0, 0],
  ];
  const key = ctx.node.name;
  const prepare = (make: () => tf.Tensor): tf.Tensor => (ctx.isConstant(1) ? ctx.prepared(key, make) : make());
  const activation = fusedActivationOf(ctx);
  const bias = ctx.inputs[2] === undefined ? undefined : toTensor(ctx.inputs[2]);
  const fusedOptions = {
    bias,
    activation: activation?.kind ?? 'linear',
    ...(activation?.kind === 'leakyrelu' ? { leakyreluAlpha: activation.alpha } : {}),
  } as const;
  let y: tf.Tensor4D;
  if (group === 1) {
    const filter = prepare(() => tf.transpose(w, [2, 3, 1, 0])) as tf.Tensor4D;
    // Bias and activation in the convolution's own kernel: one pass over the output.
    y = tf.fused.conv2d({
      x: xh,
      filter,
      strides: win.strides,
      pad,
      dataFormat: 'NHWC',
      dilations: win.dilations,
      ...fusedOptions,
    });
  } else if (group === inChannels && inPerGroup === 1) {
    // Depthwise, with a channel multiplier of outChannels / group.
    const filter = prepare(() =>
      tf.reshape(tf.transpose(w, [2, 3, 0, 1]), [kh, kw, inChannels, outChannels / group]),
    ) as tf.Tensor4D;
    // tfjs' fused depthwise kernel takes one padding for every side, and (as measured against onnxruntime) square
    // strides and square kernels only (with a number for the padding, tfjs sizes the output from the kernel's height
    // on both axes: a 1×3 kernel gave 6 columns where 4 are due): others run unfused, with the pads spelled out.
    const [[top, bottom], [left, right]] = win.pads;
    const square = top === bottom && left === right && top === left && win.strides[0] === win.strides[1] && kh === kw;
    if (square)
      y = tf.fused.depthwiseConv2d({
        x: xh,
        filter,
        strides: win.strides,
        pad: top,
        dataFormat: 'NHWC',
        dilations: win.dilations,
        ...fusedOptions,
      });
    else {
      y = tf.depthwiseConv2d(xh, filter, win.strides, pad, 'NHWC', win.dilations);
      if (bias !== undefined) y = tf.add(y, bias);
      if (activation) y = applyActivation(y, activation);
    }
  } else {
    const filter = prepare(() => tf.transpose(w, [2, 3, 1, 0])) as tf.Tensor4D;
    const xs = tf.split(xh, group, 3);
    const fs = tf.split(filter, group, 3);
    y = tf.concat(
      xs.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, fs[g] as tf.Tensor4D, win.strides, pad, 'NHWC', win.dilations)),
      3,
    );
    if (bias !== undefined) y = tf.add(y, bias);
    if (activation) y = applyActivation(y, activation);
  }
  return [channelsLastOutput(ctx, y)];
}

const parsedActivations = new Map<string, FusedActivation>();

/** The activation the load-time fusion gave this Conv, parsed once per distinct value (this runs every run). */
function fusedActivationOf(ctx: OpContext): FusedActivation | undefined {
  const fused = ctx.node.attributes.get(FUSED_ACTIVATION) as string | undefined;
  if (fused === undefined) return undefined;
  let parsed = parsedActivations.get(fused);
  if (!parsed) parsedActivations.set(fused, (parsed = JSON.parse(fused) as FusedActivation));
  return parsed;
}

function applyActivation(y: tf.Tensor4D, activation: FusedActivation): tf.Tensor4D {
  if (activation.kind === 'relu') return tf.relu(y);
  if (activation.kind === 'relu6') return tf.relu6(y);
  if (activation.kind === 'sigmoid') return tf.sigmoid(y);
  return tf.leakyRelu(y, activation.alpha);
}

/**
 * Depth-to-space of NHWC blocks as a reshape, one rank-4 transpose and a reshape: out[h·b + i, w·b + j, c] =
 * in[h, w, (i·b + j)·C + c]. tfjs-wasm's own DepthToSpace took 105 ms on det's [1, 160, 160, 96]; this ~6.
 */
function depthToSpaceNhwc(x: tf.Tensor4D, block: number): tf.Tensor4D {
  const [n, h, w, depth] = x.shape;
  const c = depth / (block * block);
  const rows = tf.transpose(tf.reshape(x, [n * h, w, block, block * c]), [0, 2, 1, 3]);
  return tf.reshape(rows, [n, h * block, w * block, c]) as tf.Tensor4D;
}

const convTranspose1d = lifted1d((ctx) => convTranspose2d(ctx));
const convTranspose: OpKernel = (ctx) => (spatialRankAtRun(ctx) === 3 ? convTranspose1d(ctx) : convTranspose2d(ctx));

function convTranspose2d(ctx: OpContext): Value[] {
  const xh = channelsLastInput(ctx);
  const w = toTensor(input(ctx, 1));
  const [, outPerGroup, kh, kw] = w.shape as [number, number, number, number];
  const group = attr(ctx, 'group', 1);
  const strides = attr(ctx, 'strides', [1, 1]) as [number, number];
  const pads = attr(ctx, 'pads', [0, 0, 0, 0]);
  const outputPadding = attr(ctx, 'output_padding', [0, 0]);
  const [n, h, wd] = xh.shape;
  const fullH = (h - 1) * strides[0] + kh + (outputPadding[0] as number);
  const fullW = (wd - 1) * strides[1] + kw + (outputPadding[1] as number);
  // Weight [C_in, C_out/group, kh, kw] → tfjs' [kh, kw, C_out/group, C_in]; groups split C_in (its last axis here).
  const filter = (
    ctx.isConstant(1) ? ctx.prepared(ctx.node.name, () => tf.transpose(w, [2, 3, 1, 0])) : tf.transpose(w, [2, 3, 1, 0])
  ) as tf.Tensor4D;
  const bias = ctx.inputs[2] === undefined ? undefined : toTensor(ctx.inputs[2]);
  if (
    group === 1 &&
    kh === kw &&
    kh === strides[0] &&
    kw === strides[1] &&
    (pads as number[]).every((p) => p === 0) &&
    outputPadding.every((p) => p === 0)
  ) {
    // Kernel = stride (DB's ×2 upsampling): the output blocks do not overlap, so it is a 1×1 convolution to
    // kh·kw·C_out channels and a depth-to-space — much faster in tfjs than Conv2DBackpropInput (91 of 585 ms on det).
    const [inChannels] = w.shape as [number];
    const make = (): tf.Tensor => tf.reshape(tf.transpose(w, [0, 2, 3, 1]), [1, 1, inChannels, kh * kw * outPerGroup]);
    const pointwise = (ctx.isConstant(1) ? ctx.prepared(`${ctx.node.name}#blocks`, make) : make()) as tf.Tensor4D;
    let blocks: tf.Tensor4D = tf.conv2d(xh, pointwise, 1, 'valid', 'NHWC');
    blocks = depthToSpaceNhwc(blocks, kh);
    return [channelsLastOutput(ctx, bias === undefined ? blocks : tf.add(blocks, bias))];
  }
  const transposed = (xi: tf.Tensor4D, fi: tf.Tensor4D): tf.Tensor4D =>
    tf.conv2dTranspose(xi, fi, [n, fullH, fullW, outPerGroup], strides, 'valid');
  const filters = group === 1 ? [filter] : tf.split(filter, group, 3);
  let y =
    group === 1
      ? transposed(xh, filter)
      : tf.concat(
          tf.split(xh, group, 3).map((xi, g) => transposed(xi as tf.Tensor4D, filters[g] as tf.Tensor4D)),
          3,
        );
  // ONNX pads crop the full output.
  const [top, left, bottom, right] = pads as [number, number, number, number];
  const channels = outPerGroup * group;
  if (top || left || bottom || right)
    y = tf.slice(y, [0, top, left, 0], [n, fullH - top - bottom, fullW - left - right, channels]);
  if (bias !== undefined) y = tf.add(y, bias);
  return [channelsLastOutput(ctx, y)];
}

const FLOAT = ['float32'];

function convForm({ node, constants }: LoadView): UnsupportedForm | undefined {
  const rank = spatialRank(node, constants);
  if (rank !== undefined && rank !== 1 && rank !== 2) return { attribute: 'kernel_shape (spatial rank)', value: rank };
  // tfjs convolves with a stride or a dilation, not both.
  const strided = allOnes(node, 'strides');
  const dilated = allOnes(node, 'dilations');
  return strided && dilated
    ? { attribute: 'strides with dilations', value: `${strided.value} with ${dilated.value}` }
    : undefined;
}

function convTransposeForm({ node, constants }: LoadView): UnsupportedForm | undefined {
  const rank = spatialRank(node, constants);
  if (rank !== undefined && rank !== 1 && rank !== 2) return { attribute: 'kernel_shape (spatial rank)', value: rank };
  const outputShape = attributeOf(node, 'output_shape');
  if (outputShape !== undefined) return { attribute: 'output_shape', value: String(outputShape) };
  return oneOf(node, 'auto_pad', 'NOTSET', ['NOTSET', 'VALID']) ?? allOnes(node, 'dilations');
}

/**
 * CausalConvWithState (opset 27): a depthwise 1-D convolution over the past state (zeros when none is given) followed
 * by the input, so each output sees only the past; optional bias and SiLU; the last K − 1 steps are the next state.
 */
const causalConvWithState: OpKernel = (ctx) => {
  const x = toTensor(input(ctx, 0));
  const w = toTensor(input(ctx, 1));
  const [batch, channels] = x.shape as [number, number, number];
  const k = w.shape[2] as number;
  const past = ctx.inputs[3] === undefined ? tf.zeros([batch, channels, k - 1]) : toTensor(ctx.inputs[3]);
  const padded = tf.concat([past, x], 2);
  const length = padded.shape[2] as number;
  // NHWC with H = 1: [B, 1, L + K − 1, C]; the filter [1, K, C, 1].
  const filter = tf.reshape(tf.transpose(w, [2, 0, 1]), [1, k, channels, 1]) as tf.Tensor4D;
  let y: tf.Tensor = tf.depthwiseConv2d(
    tf.reshape(tf.transpose(padded, [0, 2, 1]), [batch, 1, length, channels]) as tf.Tensor4D,
    filter,
    1,
    'valid',
  );
  y = tf.transpose(tf.reshape(y, [batch, -1, channels]), [0, 2, 1]);
  if (ctx.inputs[2] !== undefined) y = tf.add(y, tf.reshape(toTensor(ctx.inputs[2]), [1, channels, 1]));
  const activation = attr(ctx, 'activation', 'none');
  if (activation === 'silu' || activation === 'swish') y = tf.mul(y, tf.sigmoid(y));
  return [y, tf.slice(padded, [0, 0, length - (k - 1)], [-1, -1, k - 1])];
};

export const convOps: Record<string, OpEntry> = {
  CausalConvWithState: {
    kernel: causalConvWithState,
    opsets: [27],
    refuse: (view) =>
      firstOf(oneOf(view.node, 'activation', 'none', ['none', 'silu', 'swish']), dtypeIn(view, 0, FLOAT)),
    note: 'depthwise 1-D, bias, SiLU',
  },
  Conv: {
    kernel: conv,
    refuse: (view) => firstOf(convForm(view), dtypeIn(view, 0, FLOAT)),
    note: '1-D and 2-D; strides or dilations, not both',
  },
  ConvTranspose: {
    kernel: convTranspose,
    refuse: (view) => firstOf(convTransposeForm(view), dtypeIn(view, 0, FLOAT)),
    note: '1-D and 2-D, no output_shape, no dilations',
  },
};
