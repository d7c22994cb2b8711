import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import type { Value } from './value.js';
import { dimsOf, host, isHost, toHost, toTensor } from './value.js';
import { NUMERIC_DTYPES } from '../tfjs-dtypes.js';

/**
 * Index-driven ops (gathers, scatters, one-hot, top-k, non-zero…) computed on the host: their work is bookkeeping over
 * indices, where exact integer semantics (negative indices, ties broken by position) matter more than throughput.
 */

const stridesOf = (dims: readonly number[]): number[] =>
  dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
const sizeOf = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** The element type a host result keeps: int64 stays on the host, the rest goes back to the device. */
function result(like: Value, dims: number[], data: number[]): Value {
  const dtype = isHost(like)
    ? like.dtype
    : like.dtype === 'float32'
      ? 'float32'
      : like.dtype === 'bool'
        ? 'bool'
        : 'int32';
  if (isHost(like) && like.dtype === 'int64') return host('int64', dims, data);
  return tf.tensor(data, dims, dtype === 'int64' ? 'int32' : dtype);
}

/** An index checked against its axis (negative counts from the end): out of range is an error, never a stray read. */
function checkedIndex(i: number, size: number, what: string): number {
  const k = i < 0 ? i + size : i;
  if (!Number.isInteger(k) || k < 0 || k >= size)
    throw new RangeError(`${what} index ${i} is out of range for an axis of ${size}`);
  return k;
}

/** Walks every coordinate of dims, row-major. */
function forEachCoord(dims: readonly number[], f: (coord: number[], flat: number) => void): void {
  const coord = dims.map(() => 0);
  const total = sizeOf(dims);
  for (let flat = 0; flat < total; flat++) {
    f(coord, flat);
    for (let a = dims.length - 1; a >= 0; a--) {
      if (++(coord[a] as number) < (dims[a] as number)) break;
      coord[a] = 0;
    }
  }
}

const offsetOf = (coord: readonly number[], strides: readonly number[]): number =>
  coord.reduce((o, c, i) => o + c * (strides[i] as number), 0);

type Reduction = 'none' | 'add' | 'mul' | 'max' | 'min';
const combine = (reduction: Reduction, old: number, update: number): number =>
  reduction === 'add'
    ? old + update
    : reduction === 'mul'
      ? old * update
      : reduction === 'max'
        ? Math.max(old, update)
        : reduction === 'min'
          ? Math.min(old, update)
          : update;

function gatherElements(ctx: OpContext): Value[] {
  const data = toHost(input(ctx, 0));
  const indices = toHost(input(ctx, 1));
  const axis = norm(attr(ctx, 'axis', 0), data.dims.length);
  const strides = stridesOf(data.dims);
  const out = new Array<number>(sizeOf(indices.dims));
  forEachCoord(indices.dims, (coord, flat) => {
    const source = [...coord];
    source[axis] = checkedIndex(indices.data[flat] as number, data.dims[axis] as number, 'GatherElements');
    out[flat] = data.data[offsetOf(source, strides)] as number;
  });
  return [result(input(ctx, 0), indices.dims, out)];
}

function scatterElements(ctx: OpContext): Value[] {
  const data = toHost(input(ctx, 0));
  const indices = toHost(input(ctx, 1));
  const updates = toHost(input(ctx, 2));
  const axis = norm(attr(ctx, 'axis', 0), data.dims.length);
  const reduction = attr(ctx, 'reduction', 'none') as Reduction;
  const strides = stridesOf(data.dims);
  const out = [...data.data];
  forEachCoord(indices.dims, (coord, flat) => {
    const target = [...coord];
    target[axis] = checkedIndex(indices.data[flat] as number, data.dims[axis] as number, 'ScatterElements');
    const at = offsetOf(target, strides);
    out[at] = combine(reduction, out[at] as number, updates.data[flat] as number);
  });
  return [result(input(ctx, 0), data.dims, out)];
}

function gatherNd(ctx: OpContext): Value[] {
  const data = toHost(input(ctx, 0));
  const indices = toHost(input(ctx, 1));
  const batch = attr(ctx, 'batch_dims', 0);
  const depth = indices.dims.at(-1) as number;
  const sliceDims = data.dims.slice(batch + depth);
  const sliceSize = sizeOf(sliceDims);
  const strides = stridesOf(data.dims);
  const lookups = indices.dims.slice(0, -1);
  const out: number[] = [];
  forEachCoord(lookups, (coord, flat) => {
    const start = [...coord.slice(0, batch)];
    for (let j = 0; j < depth; j++)
      start.push(checkedIndex(indices.data[flat * depth + j] as number, data.dims[batch + j] as number, 'GatherND'));
    const base = offsetOf(start, strides);
    for (let k = 0; k < sliceSize; k++) out.push(data.data[base + k] as number);
  });
  return [result(input(ctx, 0), [...lookups, ...sliceDims], out)];
}

function scatterNd(ctx: OpContext): Value[] {
  const data = toHost(input(ctx, 0));
  const indices = toHost(input(ctx, 1));
  const updates = toHost(input(ctx, 2));
  const reduction = attr(ctx, 'reduction', 'none') as Reduction;
  const depth = indices.dims.at(-1) as number;
  const sliceSize = sizeOf(data.dims.slice(depth));
  const strides = stridesOf(data.dims);
  const out = [...data.data];
  forEachCoord(indices.dims.slice(0, -1), (_, flat) => {
    const start = Array.from({ length: depth }, (_, j) =>
      checkedIndex(indices.data[flat * depth + j] as number, data.dims[j] as number, 'ScatterND'),
    );
    const base = offsetOf(start, strides);
    for (let k = 0; k < sliceSize; k++)
      out[base + k] = combine(reduction, out[base + k] as number, updates.data[flat * sliceSize + k] as number);
  });
  return [result(input(ctx, 0), data.dims, out)];
}

function oneHot(ctx: OpContext): Value[] {
  const indices = toHost(input(ctx, 0));
  const depth = toHost(input(ctx, 1)).data[0] as number;
  const values = toHost(input(ctx, 2));
  const [off, on] = values.data as [number, number];
  const rank = indices.dims.length + 1;
  const axis = norm(attr(ctx, 'axis', -1), rank);
  const dims = [...indices.dims.slice(0, axis), depth, ...indices.dims.slice(axis)];
  const out = new Array<number>(sizeOf(dims)).fill(off);
  const strides = stridesOf(dims);
  forEachCoord(indices.dims, (coord, flat) => {
    const raw = Math.trunc(indices.data[flat] as number);
    const k = raw < 0 ? raw + depth : raw;
    // Out-of-range indices give an all-off row (ONNX).
    if (k < 0 || k >= depth) return;
    out[offsetOf([...coord.slice(0, axis), k, ...coord.slice(axis)], strides)] = on;
  });
  return [result(input(ctx, 2), dims, out)];
}

/** TopK: the k largest (or smallest) along an axis, ties to the lower index, sorted as ONNX's reference does. */
function topK(ctx: OpContext): Value[] {
  const x = toHost(input(ctx, 0));
  const k = ctx.opset < 10 ? attr(ctx, 'k', 1) : (toHost(input(ctx, 1)).data[0] as number);
  const axis = norm(attr(ctx, 'axis', -1), x.dims.length);
  const largest = attr(ctx, 'largest', 1) === 1;
  const n = x.dims[axis] as number;
  if (k > n) throw new RangeError(`K (${k}) exceeds the axis (${n})`);
  const dims = [...x.dims];
  dims[axis] = k;
  const strides = stridesOf(x.dims);
  const outStrides = stridesOf(dims);
  const values = new Array<number>(sizeOf(dims));
  const indices = new Array<number>(sizeOf(dims));
  const outer = [...x.dims];
  outer[axis] = 1;
  forEachCoord(outer, (coord) => {
    const base = offsetOf(coord, strides);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const va = x.data[base + a * (strides[axis] as number)] as number;
      const vb = x.data[base + b * (strides[axis] as number)] as number;
      return va === vb ? a - b : largest ? vb - va : va - vb;
    });
    const outBase = offsetOf(coord, outStrides);
    for (let j = 0; j < k; j++) {
      values[outBase + j * (outStrides[axis] as number)] = x.data[
        base + (order[j] as number) * (strides[axis] as number)
      ] as number;
      indices[outBase + j * (outStrides[axis] as number)] = order[j] as number;
    }
  });
  return [result(input(ctx, 0), dims, values), host('int64', dims, indices)];
}

function nonZero(ctx: OpContext): Value[] {
  const x = toHost(input(ctx, 0));
  const coords: number[][] = x.dims.map(() => []);
  forEachCoord(x.dims, (coord, flat) => {
    if (x.data[flat] !== 0) coord.forEach((c, a) => (coords[a] as number[]).push(c));
  });
  return [host('int64', [x.dims.length, coords[0]?.length ?? (x.data[0] !== 0 ? 1 : 0)], coords.flat())];
}

function compress(ctx: OpContext): Value[] {
  const x = toHost(input(ctx, 0));
  const condition = toHost(input(ctx, 1)).data;
  const axisAttr = ctx.node.attributes.get('axis') as number | undefined;
  const flat = axisAttr === undefined;
  const dims = flat ? [sizeOf(x.dims)] : x.dims;
  const axis = flat ? 0 : norm(axisAttr, dims.length);
  const kept = Array.from({ length: dims[axis] as number }, (_, i) => i).filter(
    (i) => i < condition.length && condition[i] !== 0,
  );
  const outDims = [...dims];
  outDims[axis] = kept.length;
  const strides = stridesOf(dims);
  const out: number[] = [];
  forEachCoord(outDims, (coord) => {
    const source = [...coord];
    source[axis] = kept[coord[axis] as number] as number;
    out.push(x.data[offsetOf(source, strides)] as number);
  });
  return [result(input(ctx, 0), outDims, out)];
}

function eyeLike(ctx: OpContext): Value[] {
  const dims = dimsOf(input(ctx, 0));
  const k = attr(ctx, 'k', 0);
  const [rows, cols] = dims as [number, number];
  const out = Array.from({ length: rows * cols }, (_, i) => Number((i % cols) - Math.floor(i / cols) === k));
  const to = ctx.dtypeOf(ctx.node.outputs[0]) ?? 'float32';
  return [
    to === 'int64'
      ? host('int64', dims, out)
      : tf.tensor(out, dims, to === 'float32' ? 'float32' : to === 'bool' ? 'bool' : 'int32'),
  ];
}

/** CumSum / CumProd along an axis given as an input; exclusive and reverse as tfjs' kernels take them. */
function cumulative(f: typeof tf.cumsum): (ctx: OpContext) => Value[] {
  return (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axis = norm(toHost(input(ctx, 1)).data[0] as number, x.rank);
    return [f(x, axis, attr(ctx, 'exclusive', 0) === 1, attr(ctx, 'reverse', 0) === 1)];
  };
}

const NUMERIC = NUMERIC_DTYPES;

/**
 * TensorScatter (opset 24): the cache with each batch's update written along `axis` from its write index (0 if none
 * given), wrapping around the cache in circular mode; a write past the end in linear mode is an error.
 */
function tensorScatter(ctx: OpContext): Value[] {
  const cache = toHost(input(ctx, 0));
  const update = toHost(input(ctx, 1));
  const writes = ctx.inputs[2] === undefined ? undefined : toHost(ctx.inputs[2]).data;
  const axis = norm(attr(ctx, 'axis', -2), cache.dims.length);
  const circular = attr(ctx, 'mode', 'linear') === 'circular';
  const max = cache.dims[axis] as number;
  const seq = update.dims[axis] as number;
  const inner = sizeOf(cache.dims.slice(axis + 1));
  const outer = sizeOf(cache.dims.slice(0, axis));
  const perBatch = outer / (cache.dims[0] as number);
  const out = [...cache.data];
  for (let o = 0; o < outer; o++) {
    const start = writes ? (writes[Math.floor(o / perBatch)] as number) : 0;
    for (let s = 0; s < seq; s++) {
      let at = start + s;
      if (circular) at %= max;
      else if (at >= max) throw new RangeError(`TensorScatter writes at ${at}, past the cache's ${max} positions`);
      for (let i = 0; i < inner; i++)
        out[(o * max + at) * inner + i] = update.data[(o * seq + s) * inner + i] as number;
    }
  }
  return [result(input(ctx, 0), cache.dims, out)];
}

/** Every kernel here but CumSum/CumProd computes on the host (anyRank: tfjs-wasm's rank limit does not apply). */
export const indexingOps: Record<string, OpEntry> = {
  GatherElements: { kernel: gatherElements, anyRank: true },
  ScatterElements: { kernel: scatterElements, opsets: [11], anyRank: true },
  GatherND: { kernel: gatherNd, anyRank: true },
  ScatterND: { kernel: scatterNd, opsets: [11], anyRank: true },
  OneHot: { kernel: oneHot, anyRank: true },
  TopK: { kernel: topK, refuse: (view) => dtypeIn(view, 0, NUMERIC), anyRank: true },
  NonZero: { kernel: nonZero, anyRank: true },
  Compress: { kernel: compress, anyRank: true },
  EyeLike: { kernel: eyeLike, anyRank: true },
  CumSum: { kernel: cumulative(tf.cumsum), refuse: (view) => dtypeIn(view, 0, ['float32', 'int32']) },
  CumProd: { kernel: cumulative(tf.cumprod), refuse: (view) => dtypeIn(view, 0, ['float32', 'int32']) },
  // Opset 9's Scatter is ScatterElements without reduction.
  Scatter: { kernel: scatterElements, opsets: [9, 10], anyRank: true },
  TensorScatter: { kernel: tensorScatter, opsets: [24], anyRank: true },
};
