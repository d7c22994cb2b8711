import type { ModelSpec } from '../onnx-model-builder.js';

/** The graphs the conformance suite runs on every backend: small, but each checks one contract. */
export const conformanceModels = {
  /** a + b on fixed [2, 3] float32 inputs. */
  add: {
    inputs: [
      { name: 'a', dtype: 'float32', dims: [2, 3] },
      { name: 'b', dtype: 'float32', dims: [2, 3] },
    ],
    outputs: [{ name: 'sum', dtype: 'float32', dims: [2, 3] }],
    nodes: [{ op: 'Add', inputs: ['a', 'b'], outputs: ['sum'] }],
  },
  /** relu(x) and -x on a batch of any size: dynamic dims and several outputs. */
  dynamic: {
    inputs: [{ name: 'x', dtype: 'float32', dims: ['N', 4] }],
    outputs: [
      { name: 'relu', dtype: 'float32', dims: ['N', 4] },
      { name: 'neg', dtype: 'float32', dims: ['N', 4] },
    ],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['relu'] },
      { op: 'Neg', inputs: ['x'], outputs: ['neg'] },
    ],
  },
  /** ids + 1 in int64, values past 2^32 included. */
  int64: {
    inputs: [{ name: 'ids', dtype: 'int64', dims: ['N'] }],
    outputs: [{ name: 'next', dtype: 'int64', dims: ['N'] }],
    initializers: [{ name: 'one', dtype: 'int64', dims: [1], data: BigInt64Array.from([1n]) }],
    nodes: [{ op: 'Add', inputs: ['ids', 'one'], outputs: ['next'] }],
  },
} satisfies Record<string, ModelSpec>;

export type ConformanceModelName = keyof typeof conformanceModels;
