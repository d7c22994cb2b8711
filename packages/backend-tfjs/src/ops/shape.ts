import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import type { HostTensor, Value } from './value.js';
import { dimsOf, host, hostOfConst, isHost, toHost, toTensor } from './value.js';
import type { ConstTensor } from '../onnx/onnx-graph.js';

const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** Axes given as an attribute (older opsets) or as an input (newer). */
function axesOf(ctx: OpContext, inputIndex: number, sinceOpset: number): number[] | undefined {
  if (ctx.opset < sinceOpset) return (ctx.node.attributes.get('axes') as number[] | undefined);
  const v = ctx.inputs[inputIndex];
  return v === undefined ? undefined : toHost(v).data;
}

function reshapeValue(v: Value, dims: number[]): Value {
  return isHost(v) ? host(v.dtype, dims, v.data) : tf.reshape(v, dims);
}

function resolveShape(target: number[], from: number[]): number[] {
  const resolved = target.map((d, i) => (d === 0 ? (from[i] as number) : d));
  const known = resolved.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const size = from.reduce((a, b) => a * b, 1);
  return resolved.map((d) => (d === -1 ? size / known : d));
}

function hostSlice(v: HostTensor, starts: number[], sizes: number[], steps: number[]): HostTensor {
  const strides = v.dims.map((_, i) => v.dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const walk = (axis: number, offset: number): void => {
    if (axis === v.dims.length) {
      out.push(v.data[offset] as number);
      return;
    }
    for (let k = 0; k < (sizes[axis] as number); k++) walk(axis + 1, offset + ((starts[axis] as number) + k * (steps[axis] as number)) * (strides[axis] as number));
  };
  walk(0, 0);
  return host(v.dtype, sizes, out);
}

const slice: OpKernel = (ctx) => {
  const x = input(ctx, 0);
  const dims = dimsOf(x);
  const fromAttr = ctx.opset < 10;
  const read = (i: number, name: string): number[] | undefined => (fromAttr ? (ctx.node.attributes.get(name) as number[] | undefined) : ctx.inputs[i] === undefined ? undefined : toHost(ctx.inputs[i] as Value).data);
  const starts = read(1, 'starts') as number[];
  const ends = read(2, 'ends') as number[];
  const axes = (read(3, 'axes') ?? starts.map((_, i) => i)).map((a) => norm(a, dims.length));
  const stepsIn = read(4, 'steps') ?? starts.map(() => 1);
  const begin = dims.map(() => 0);
  const size = [...dims];
  const steps = dims.map(() => 1);
  axes.forEach((axis, i) => {
    const dim = dims[axis] as number;
    const step = stepsIn[i] as number;
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
    let s = starts[i] as number;
    let e = ends[i] as number;
    s = s < 0 ? s + dim : s;
    e = e < 0 ? e + dim : e;
    if (step > 0) {
      s = clamp(s, 0, dim);
      e = clamp(e, 0, dim);
      size[axis] = Math.max(0, Math.ceil((e - s) / step));
    } else {
      s = clamp(s, 0, dim - 1);
      e = clamp(e, -1, dim - 1);
      size[axis] = Math.max(0, Math.ceil((s - e) / -step));
    }
    begin[axis] = s;
    steps[axis] = step;
  });
  if (isHost(x)) return [hostSlice(x, begin, size, steps)];
  if (steps.every((s) => s === 1)) return [tf.slice(x, begin, size)];
  const end = begin.map((b, i) => b + (size[i] as number) * (steps[i] as number));
  return [tf.stridedSlice(x, begin, end, steps)];
};

const concat: OpKernel = (ctx) => {
  const values = ctx.inputs.filter((v): v is Value => v !== undefined);
  const rank = dimsOf(values[0] as Value).length;
  const axis = norm(attr(ctx, 'axis', 0), rank);
  if (values.every(isHost) && rank === 1) {
    return [host((values[0] as HostTensor).dtype, [values.reduce((n, v) => n + (dimsOf(v)[0] as number), 0)], values.flatMap((v) => (v as HostTensor).data))];
  }
  // Channels-last inputs (the layout pass: all of them, rank 4): NCHW axis a is NHWC axis [0, 3, 1, 2][a].
  return [tf.concat(values.map(toTensor), ctx.channelsLastInput ? ([0, 3, 1, 2][axis] as number) : axis)];
};

export const shapeOps: Record<string, OpKernel> = {
  Shape: (ctx) => {
    const dims = dimsOf(input(ctx, 0));
    return [host('int64', [dims.length], dims)];
  },
  Constant: (ctx) => {
    const value = ctx.node.attributes.get('value') as ConstTensor | undefined;
    if (!value) throw new Error(`Constant "${ctx.node.name}": only the tensor "value" form is supported`);
    return [value.dtype === 'float32' ? tf.tensor(value.data as Float32Array, value.dims, 'float32') : hostOfConst(value)];
  },
  ConstantOfShape: (ctx) => {
    const dims = toHost(input(ctx, 0)).data;
    const value = ctx.node.attributes.get('value') as ConstTensor | undefined;
    const fill = value ? (value.data[0] as number) : 0;
    return [value && value.dtype !== 'float32' ? host('int64', dims, Array(dims.reduce((a, b) => a * b, 1)).fill(fill)) : tf.fill(dims, fill, 'float32')];
  },
  Reshape: (ctx) => {
    const x = input(ctx, 0);
    const target = ctx.opset < 5 ? attr(ctx, 'shape', []) : toHost(input(ctx, 1)).data;
    return [reshapeValue(x, resolveShape(target, dimsOf(x)))];
  },
  Flatten: (ctx) => {
    const x = input(ctx, 0);
    const dims = dimsOf(x);
    const axis = norm(attr(ctx, 'axis', 1), dims.length);
    const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
    return [reshapeValue(x, [outer, dims.slice(axis).reduce((a, b) => a * b, 1)])];
  },
  Transpose: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const perm = attr(ctx, 'perm', [...x.shape.keys()].reverse());
    return [tf.transpose(x, perm)];
  },
  Squeeze: (ctx) => {
    const x = input(ctx, 0);
    const dims = dimsOf(x);
    const axes = (axesOf(ctx, 1, 13) ?? dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => norm(a, dims.length));
    return [reshapeValue(x, dims.filter((_, i) => !axes.includes(i)))];
  },
  Unsqueeze: (ctx) => {
    const x = input(ctx, 0);
    const dims = dimsOf(x);
    const axes = (axesOf(ctx, 1, 13) ?? []).map((a) => norm(a, dims.length + (axesOf(ctx, 1, 13)?.length ?? 0))).sort((a, b) => a - b);
    const out = [...dims];
    for (const a of axes) out.splice(a, 0, 1);
    return [reshapeValue(x, out)];
  },
  Concat: concat,
  Slice: slice,
  Gather: (ctx) => {
    const x = input(ctx, 0);
    const indices = input(ctx, 1);
    const axis = norm(attr(ctx, 'axis', 0), dimsOf(x).length);
    if (isHost(x) && isHost(indices) && dimsOf(x).length === 1) {
      const n = x.data.length;
      return [host(x.dtype, indices.dims, indices.data.map((i) => x.data[i < 0 ? i + n : i] as number))];
    }
    const idx = toHost(indices);
    const n = dimsOf(x)[axis] as number;
    const gathered = tf.gather(toTensor(x), tf.tensor(idx.data.map((i) => (i < 0 ? i + n : i)), [idx.data.length], 'int32'), axis);
    const outDims = [...dimsOf(x).slice(0, axis), ...idx.dims, ...dimsOf(x).slice(axis + 1)];
    return [tf.reshape(gathered, outDims)];
  },
  Expand: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const shape = toHost(input(ctx, 1)).data;
    const rank = Math.max(x.rank, shape.length);
    const xs = [...Array(rank - x.rank).fill(1), ...x.shape];
    const target = [...Array(rank - shape.length).fill(1), ...shape].map((d, i) => Math.max(d, xs[i] as number));
    return [tf.broadcastTo(tf.reshape(x, xs), target)];
  },
  Tile: (ctx) => {
    const x = input(ctx, 0);
    const repeats = toHost(input(ctx, 1)).data;
    return [tf.tile(toTensor(x), repeats)];
  },
  Range: (ctx) => {
    // Shape arithmetic: computed on the host, as the other shape ops are.
    const [start, limit, delta] = [0, 1, 2].map((i) => toHost(input(ctx, i)).data[0] as number) as [number, number, number];
    const count = Math.max(Math.ceil((limit - start) / delta), 0);
    const v = toHost(input(ctx, 0));
    return [host(v.dtype, [count], Array.from({ length: count }, (_, i) => start + i * delta))];
  },
  DepthToSpace: (ctx) => {
    // NCHW; DCR (default): depth is [block, block, C']; CRD: [C', block, block].
    const x = toTensor(input(ctx, 0));
    const b = attr(ctx, 'blocksize', 1);
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const crd = attr(ctx, 'mode', 'DCR') === 'CRD';
    const split = crd ? tf.reshape(x, [n, c / (b * b), b, b, h, w]) : tf.reshape(x, [n, b, b, c / (b * b), h, w]);
    const moved = tf.transpose(split, crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2]);
    return [tf.reshape(moved, [n, c / (b * b), h * b, w * b])];
  },
  SpaceToDepth: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const b = attr(ctx, 'blocksize', 1);
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const split = tf.reshape(x, [n, c, h / b, b, w / b, b]);
    return [tf.reshape(tf.transpose(split, [0, 3, 5, 1, 2, 4]), [n, c * b * b, h / b, w / b])];
  },
  Split: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axis = norm(attr(ctx, 'axis', 0), x.rank);
    const split = ctx.opset < 13 ? (ctx.node.attributes.get('split') as number[] | undefined) : ctx.inputs[1] === undefined ? undefined : toHost(ctx.inputs[1] as Value).data;
    return tf.split(x, split ?? ctx.node.outputs.length, axis);
  },
  Pad: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const pads = ctx.opset < 11 ? attr(ctx, 'pads', []) : toHost(input(ctx, 1)).data;
    const value = ctx.opset < 11 ? attr(ctx, 'value', 0) : ctx.inputs[2] === undefined ? 0 : (toHost(ctx.inputs[2] as Value).data[0] as number);
    const paddings = x.shape.map((_, i) => [pads[i] as number, pads[i + x.rank] as number] as [number, number]);
    // The mode was checked at load (OP_VARIANT_CHECKS): constant or reflect.
    if (attr(ctx, 'mode', 'constant') === 'reflect') return [tf.mirrorPad(x, paddings, 'reflect')];
    return [tf.pad(x, paddings, value)];
  },
};
