import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import type { Value } from './value.js';
import { host, isHost, toHost } from './value.js';
import { NUMERIC_DTYPES } from '../tfjs-dtypes.js';

/** Ops that pick elements by comparing them (Unique, NonMaxSuppression): bookkeeping on the host, exact. */

/**
 * Unique: the distinct elements (no axis: of the flattened input) or slices along `axis`, sorted or in order of first
 * appearance, with the index of each first appearance, each input's index into the result, and the counts.
 */
function unique(ctx: OpContext): Value[] {
  const x = toHost(input(ctx, 0));
  const axisAttr = ctx.node.attributes.get('axis') as number | undefined;
  const dims = axisAttr === undefined ? [x.data.length] : x.dims;
  const axis = axisAttr === undefined ? 0 : axisAttr < 0 ? axisAttr + dims.length : axisAttr;
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = dims[axis] as number;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const slice = (k: number): number[] =>
    Array.from(
      { length: outer * inner },
      (_, j) => x.data[(Math.floor(j / inner) * n + k) * inner + (j % inner)] as number,
    );
  const slices = Array.from({ length: n }, (_, k) => slice(k));
  const keyOf = (s: number[]): string => s.join(',');
  const first = new Map<string, number>();
  const counts = new Map<string, number>();
  slices.forEach((s, k) => {
    const key = keyOf(s);
    if (!first.has(key)) first.set(key, k);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  let order = [...first.values()];
  if (attr(ctx, 'sorted', 1) === 1) {
    const compare = (a: number[], b: number[]): number => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
      return 0;
    };
    order = order.sort((a, b) => compare(slices[a] as number[], slices[b] as number[]));
  }
  const position = new Map(order.map((k, i) => [keyOf(slices[k] as number[]), i]));
  const outDims = [...dims];
  outDims[axis] = order.length;
  const y: number[] = new Array(outer * order.length * inner);
  order.forEach((k, i) =>
    (slices[k] as number[]).forEach(
      (v, j) => (y[(Math.floor(j / inner) * order.length + i) * inner + (j % inner)] = v),
    ),
  );
  const like = input(ctx, 0);
  const yValue = isHost(like) ? host(like.dtype, outDims, y) : tf.tensor(y, outDims, like.dtype);
  return [
    yValue,
    host('int64', [order.length], order),
    host(
      'int64',
      [n],
      slices.map((s) => position.get(keyOf(s)) as number),
    ),
    host(
      'int64',
      [order.length],
      order.map((k) => counts.get(keyOf(slices[k] as number[])) as number),
    ),
  ];
}

/** Corners (y1, x1, y2, x2) of a box, whichever way round it is given. */
function corners(b: readonly number[], center: boolean): [number, number, number, number] {
  if (center) {
    const [xc, yc, w, h] = b as [number, number, number, number];
    return [yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2];
  }
  const [y1, x1, y2, x2] = b as [number, number, number, number];
  return [Math.min(y1, y2), Math.min(x1, x2), Math.max(y1, y2), Math.max(x1, x2)];
}

function iou(a: readonly number[], b: readonly number[]): number {
  const areaA = (a[2]! - a[0]!) * (a[3]! - a[1]!);
  const areaB = (b[2]! - b[0]!) * (b[3]! - b[1]!);
  if (areaA <= 0 || areaB <= 0) return 0;
  const h = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const w = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = h * w;
  return inter / (areaA + areaB - inter);
}

/**
 * NonMaxSuppression: per batch and class, boxes above the score threshold by descending score (ties by index), each
 * kept unless its IoU with a kept one exceeds the threshold, at most max_output_boxes_per_class of them.
 */
function nonMaxSuppression(ctx: OpContext): Value[] {
  const boxes = toHost(input(ctx, 0));
  const scores = toHost(input(ctx, 1));
  const optionalScalar = (i: number, fallback: number): number =>
    ctx.inputs[i] === undefined ? fallback : ((toHost(ctx.inputs[i] as Value).data[0] as number) ?? fallback);
  const maxPerClass = optionalScalar(2, 0);
  const iouThreshold = optionalScalar(3, 0);
  const scoreThreshold = ctx.inputs[4] === undefined ? -Infinity : (toHost(ctx.inputs[4]).data[0] as number);
  const center = attr(ctx, 'center_point_box', 0) === 1;
  const [batches, classes, count] = scores.dims as [number, number, number];
  const selected: number[] = [];
  for (let b = 0; b < batches; b++) {
    const boxAt = (i: number): [number, number, number, number] =>
      corners(boxes.data.slice((b * count + i) * 4, (b * count + i) * 4 + 4), center);
    for (let c = 0; c < classes; c++) {
      const score = (i: number): number => scores.data[(b * classes + c) * count + i] as number;
      const candidates = Array.from({ length: count }, (_, i) => i)
        .filter((i) => score(i) > scoreThreshold)
        .sort((i, j) => score(j) - score(i) || i - j);
      const kept: number[] = [];
      for (const i of candidates) {
        if (kept.length >= maxPerClass) break;
        if (kept.every((k) => iou(boxAt(i), boxAt(k)) <= iouThreshold)) kept.push(i);
      }
      for (const k of kept) selected.push(b, c, k);
    }
  }
  return [host('int64', [selected.length / 3, 3], selected)];
}

export const selectionOps: Record<string, OpEntry> = {
  Unique: { kernel: unique, opsets: [11], refuse: (view) => dtypeIn(view, 0, NUMERIC_DTYPES), anyRank: true },
  NonMaxSuppression: {
    kernel: nonMaxSuppression,
    opsets: [10],
    refuse: (view) => dtypeIn(view, 0, ['float32']),
    anyRank: true,
  },
};
