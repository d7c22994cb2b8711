import type { Decoder, Feeds } from '@polyinfer/core';
import { singleOutput } from './single-output.js';

export interface ClassScore {
  index: number;
  label: string;
  score: number;
}

export interface TopKOptions {
  k?: number;
  labels?: readonly string[];
  /** Apply a softmax first (for models that output logits). */
  softmax?: boolean;
}

export function softmax(values: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  const out = new Float32Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += out[i] = Math.exp((values[i] as number) - max);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** The k best classes of one row of scores, best first (ties keep the lower index first). */
export function topK(scores: Float32Array, options: TopKOptions = {}): ClassScore[] {
  const values = options.softmax ? softmax(scores) : scores;
  const k = Math.min(options.k ?? 5, values.length);
  const order = Array.from(values.keys()).sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  return order
    .slice(0, k)
    .map((index) => ({ index, label: options.labels?.[index] ?? String(index), score: values[index] as number }));
}

/** Decodes an [N, C] (or [C]) classifier output into the top k classes of each row. */
export class TopKDecoder implements Decoder<unknown, ClassScore[][]> {
  constructor(private readonly options: TopKOptions = {}) {}

  decode(outputs: Feeds): ClassScore[][] {
    const scores = singleOutput(outputs, 'top-k', { ranks: [1, 2], shape: '[N, C] or [C]' });
    const classes = scores.dims[scores.dims.length - 1] as number;
    const rows = scores.size / classes;
    const data = scores.data;
    return Array.from({ length: rows }, (_, r) => topK(data.subarray(r * classes, (r + 1) * classes), this.options));
  }
}
