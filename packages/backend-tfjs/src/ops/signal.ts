import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { toHost } from './value.js';
import { onnxElementTypeName } from '@polyinfer/core';

/** A window of `size` points from its cosine terms: Σ a_k · cos(2πkn / D), D = size (periodic) or size − 1. */
function cosineWindow(terms: readonly number[]): (ctx: OpContext) => tf.Tensor[] {
  return (ctx) => {
    const size = toHost(input(ctx, 0)).data[0] as number;
    const d = attr(ctx, 'periodic', 1) === 1 ? size : size - 1;
    const values = Array.from({ length: size }, (_, n) => terms.reduce((sum, a, k) => sum + a * Math.cos((2 * Math.PI * k * n) / d), 0));
    const to = onnxElementTypeName(attr(ctx, 'output_datatype', 1));
    return [tf.tensor(to === 'float32' ? values : values.map(Math.trunc), [size], to === 'float32' ? 'float32' : 'int32')];
  };
}

export const signalOps: Record<string, OpEntry> = {
  HannWindow: { kernel: cosineWindow([0.5, -0.5]), opsets: [17] },
  // ONNX's Hamming coefficients are 25/46 and 21/46.
  HammingWindow: { kernel: cosineWindow([25 / 46, -21 / 46]), opsets: [17] },
  BlackmanWindow: { kernel: cosineWindow([0.42, -0.5, 0.08]), opsets: [17] },
};
