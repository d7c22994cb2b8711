import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry, OpKernel } from './op-context.js';
import { oneOf } from './form-checks.js';
import { attr, input } from './op-context.js';
import type { HostTensor, Value } from './value.js';
import { dimsOf, host, hostOfConst, isHost, toHost, toTensor } from './value.js';
import type { ConstTensor } from '../onnx/onnx-graph.js';

const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** Axes given as an attribute (older opsets) or as an input (newer). */
function axesOf(ctx: OpContext, inputIndex: number, sinceOpset: number): number[] | undefined {
  if (ctx.opset < sinceOpset) return ctx.node.attributes.get('axes') as number[] | undefined;
  const v = ctx.inputs[inputIndex];
  return v === undefined ? undefined : toHost(v).data;
}

function reshapeValue(v: Value, dims: number[]): Value {
  return isHost(v) ? host(v.dtype, dims, v.data) : tf.reshape(v, dims);
}

/** A Reshape target made concrete: 0 copies the input's dim (unless allowzero: then it is 0), −1 is inferred. */
function resolveShape(target: number[], from: number[], allowZero = false): number[] {
  const resolved = target.map((d, i) => (d === 0 && !allowZero ? (from[i] as number) : d));
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
    for (let k = 0; k < (sizes[axis] as number); k++)
      walk(axis + 1, offset + ((starts[axis] as number) + k * (steps[axis] as number)) * (strides[axis] as number));
  };
  walk(0, 0);
  return host(v.dtype, sizes, out);
}

const slice: OpKernel = (ctx) => {
  const x = input(ctx, 0);
  const dims = dimsOf(x);
  const fromAttr = ctx.opset < 10;
  const read = (i: number, name: string): number[] | undefined =>
    fromAttr
      ? (ctx.node.attributes.get(name) as number[] | undefined)
      : ctx.inputs[i] === undefined
        ? undefined
        : toHost(ctx.inputs[i] as Value).data;
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
    return [
      host(
        (values[0] as HostTensor).dtype,
        [values.reduce((n, v) => n + (dimsOf(v)[0] as number), 0)],
        values.flatMap((v) => (v as HostTensor).data),
      ),
    ];
  }
  // Channels-last inputs (the layout pass: all of them, rank 4): NCHW axis a is NHWC axis [0, 3, 1, 2][a].
  return [tf.concat(values.map(toTensor), ctx.channelsLastInput ? ([0, 3, 1, 2][axis] as number) : axis)];
};

export const shapeOps: Record<string, OpEntry> = {
  // Opset 15's start and end pick a slice of the dims, clamped as Slice's are.
  Shape: (ctx) => {
    const dims = dimsOf(input(ctx, 0));
    const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + dims.length : i, 0), dims.length);
    const picked = dims.slice(clamp(attr(ctx, 'start', 0)), clamp(attr(ctx, 'end', dims.length)));
    return [host('int64', [picked.length], picked)];
  },
  Size: (ctx) => [host('int64', [], [dimsOf(input(ctx, 0)).reduce((a, b) => a * b, 1)])],
  Constant: {
    kernel: (ctx) => [constantValue(ctx)],
    refuse: ({ node }) =>
      node.attributes.has('sparse_value')
        ? { attribute: 'sparse_value', value: 'sparse tensor' }
        : node.attributes.has('value_string') || node.attributes.has('value_strings')
          ? { attribute: 'value_string(s)', value: 'string' }
          : undefined,
  },
  ConstantOfShape: (ctx) => {
    const dims = toHost(input(ctx, 0)).data;
    const value = ctx.node.attributes.get('value') as ConstTensor | undefined;
    const fill = value ? (value.data[0] as number) : 0;
    const dtype = value ? hostOfConst(value).dtype : 'float32';
    if (dtype === 'int64') return [host('int64', dims, Array(dims.reduce((a, b) => a * b, 1)).fill(fill))];
    return [tf.fill(dims, fill, dtype === 'bool' ? 'bool' : dtype)];
  },
  Reshape: (ctx) => {
    const x = input(ctx, 0);
    const target = ctx.opset < 5 ? attr(ctx, 'shape', []) : toHost(input(ctx, 1)).data;
    return [reshapeValue(x, resolveShape(target, dimsOf(x), attr(ctx, 'allowzero', 0) === 1))];
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
    return [
      reshapeValue(
        x,
        dims.filter((_, i) => !axes.includes(i)),
      ),
    ];
  },
  Unsqueeze: (ctx) => {
    const x = input(ctx, 0);
    const dims = dimsOf(x);
    const axes = (axesOf(ctx, 1, 13) ?? [])
      .map((a) => norm(a, dims.length + (axesOf(ctx, 1, 13)?.length ?? 0)))
      .sort((a, b) => a - b);
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
      return [
        host(
          x.dtype,
          indices.dims,
          indices.data.map((i) => x.data[i < 0 ? i + n : i] as number),
        ),
      ];
    }
    const idx = toHost(indices);
    const n = dimsOf(x)[axis] as number;
    const gathered = tf.gather(
      toTensor(x),
      tf.tensor(
        idx.data.map((i) => (i < 0 ? i + n : i)),
        [idx.data.length],
        'int32',
      ),
      axis,
    );
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
    const [start, limit, delta] = [0, 1, 2].map((i) => toHost(input(ctx, i)).data[0] as number) as [
      number,
      number,
      number,
    ];
    const count = Math.max(Math.ceil((limit - start) / delta), 0);
    const v = toHost(input(ctx, 0));
    return [
      host(
        v.dtype,
        [count],
        Array.from({ length: count }, (_, i) => start + i * delta),
      ),
    ];
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
    const given =
      ctx.opset < 13
        ? (ctx.node.attributes.get('split') as number[] | undefined)
        : ctx.inputs[1] === undefined
          ? undefined
          : toHost(ctx.inputs[1] as Value).data;
    const outputs = ctx.node.outputs.length;
    // No sizes: equal parts; opset 18's num_outputs (or an axis that does not divide) makes the last part smaller.
    const dim = x.shape[axis] as number;
    const part = Math.ceil(dim / outputs);
    const sizes = given ?? Array.from({ length: outputs }, (_, i) => Math.max(0, Math.min(part, dim - i * part)));
    return tf.split(x, sizes, axis);
  },
  Pad: {
    kernel: (ctx) => {
      const x = toTensor(input(ctx, 0));
      const pads = ctx.opset < 11 ? attr(ctx, 'pads', []) : toHost(input(ctx, 1)).data;
      const value =
        ctx.opset < 11
          ? attr(ctx, 'value', 0)
          : ctx.inputs[2] === undefined
            ? 0
            : (toHost(ctx.inputs[2] as Value).data[0] as number);
      // Opset 18's axes name the padded axes (pads then has two entries per axis); the pads are checked before any kernel reads them.
      const axes = (ctx.inputs[3] === undefined ? [...x.shape.keys()] : toHost(ctx.inputs[3]).data).map((a) =>
        norm(a, x.rank),
      );
      if (pads.length !== 2 * axes.length || axes.some((a) => a < 0 || a >= x.rank))
        throw new RangeError(`pads has ${pads.length} values for ${axes.length} axes of a rank-${x.rank} input`);
      const paddings = x.shape.map(() => [0, 0] as [number, number]);
      axes.forEach((a, i) => (paddings[a] = [pads[i] as number, pads[i + axes.length] as number]));
      // Negative pads crop.
      const crop = paddings.map(([b, e]) => [Math.max(0, -b), Math.max(0, -e)] as [number, number]);
      const cropped = crop.some(([b, e]) => b || e)
        ? tf.slice(
            x,
            crop.map(([b]) => b),
            x.shape.map((d, i) => d - (crop[i] as [number, number])[0] - (crop[i] as [number, number])[1]),
          )
        : x;
      const grow = paddings.map(([b, e]) => [Math.max(0, b), Math.max(0, e)] as [number, number]);
      if (attr(ctx, 'mode', 'constant') === 'reflect') return [tf.mirrorPad(cropped, grow, 'reflect')];
      return [tf.pad(cropped, grow, value)];
    },
    refuse: ({ node }) => oneOf(node, 'mode', 'constant', ['constant', 'reflect']),
  },
  // Each named axis cropped about its centre, or padded with zeros about it, to the size asked.
  CenterCropPad: (ctx) => {
    let x = toTensor(input(ctx, 0));
    const sizes = toHost(input(ctx, 1)).data;
    const axes = attr(ctx, 'axes', [...x.shape.keys()]).map((a) => norm(a, x.rank));
    axes.forEach((axis, i) => {
      const have = x.shape[axis] as number;
      const want = sizes[i] as number;
      if (want < have) {
        const begin = x.shape.map((_, a) => (a === axis ? Math.floor((have - want) / 2) : 0));
        x = tf.slice(
          x,
          begin,
          x.shape.map((d, a) => (a === axis ? want : d)),
        );
      } else if (want > have) {
        const before = Math.floor((want - have) / 2);
        x = tf.pad(
          x,
          x.shape.map((_, a) => (a === axis ? [before, want - have - before] : [0, 0]) as [number, number]),
        );
      }
    });
    return [x];
  },
  Trilu: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const k = ctx.inputs[1] === undefined ? 0 : (toHost(ctx.inputs[1]).data[0] as number);
    const [rows, cols] = x.shape.slice(-2) as [number, number];
    // Keep (i, j) where j − i ≥ k (upper) or j − i ≤ k (lower), for the last two axes.
    const diff = tf.sub(
      tf.reshape(tf.range(0, cols, 1, 'int32'), [1, cols]),
      tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1]),
    );
    const keep = attr(ctx, 'upper', 1) === 1 ? tf.greaterEqual(diff, k) : tf.lessEqual(diff, k);
    return [tf.where(tf.broadcastTo(keep, x.shape), x, tf.zerosLike(x))];
  },
};

/** A Constant node's value, whichever attribute holds it (value, value_float(s), value_int(s)). */
function constantValue(ctx: OpContext): Value {
  const a = ctx.node.attributes;
  const value = a.get('value') as ConstTensor | undefined;
  if (value)
    return value.dtype === 'float32'
      ? tf.tensor(value.data as Float32Array, value.dims, 'float32')
      : hostOfConst(value);
  if (a.has('value_float')) return tf.scalar(a.get('value_float') as number, 'float32');
  if (a.has('value_floats')) return tf.tensor(a.get('value_floats') as number[], undefined, 'float32');
  if (a.has('value_int')) return host('int64', [], [a.get('value_int') as number]);
  if (a.has('value_ints'))
    return host('int64', [(a.get('value_ints') as number[]).length], a.get('value_ints') as number[]);
  throw new Error('the Constant has no value attribute the importer reads');
}
