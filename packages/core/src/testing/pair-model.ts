import type { ModelSpec } from '../onnx-model-builder.js';

/**
 * Two inputs a, b ([N, 2] each) → y = a·b + a: each row of the answer depends on both of the caller's own inputs, so
 * a server that mixed batch-mates' rows (or one input's rows with another's) cannot pass unnoticed.
 */
export const pairModel: ModelSpec = {
  inputs: [
    { name: 'a', dtype: 'float32', dims: ['N', 2] },
    { name: 'b', dtype: 'float32', dims: ['N', 2] },
  ],
  outputs: [{ name: 'y', dtype: 'float32', dims: ['N', 2] }],
  nodes: [
    { op: 'Mul', inputs: ['a', 'b'], outputs: ['ab'] },
    { op: 'Add', inputs: ['ab', 'a'], outputs: ['y'] },
  ],
};

/** y = a·b + a in plain JavaScript, element by element: what the pair model must answer. */
export function pairExpected(a: readonly number[], b: readonly number[]): number[] {
  return a.map((v, i) => v * (b[i] as number) + v);
}
