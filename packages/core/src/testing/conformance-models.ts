import type { ModelSpec } from '../onnx-model-builder.js';
import type { DataType, TensorDataMap } from '../tensor.js';

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

/** Values of each dtype that a lossy or narrowing path would change: extremes, signs, odd counts for 4-bit packing. */
export const DTYPE_SAMPLES: { readonly [K in DataType]: () => TensorDataMap[K] } = {
  float16: () => Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00]),
  float32: () => Float32Array.from([1.5, -2.25, 3.4e38, 1e-45, -0.1]),
  float64: () => Float64Array.from([Math.PI, -1e300, 5e-324, 2 ** 53 + 2, -0.1]),
  bfloat16: () => Uint16Array.from([0x3f80, 0xc040, 0x7f7f, 0x0001, 0x7f80]),
  int4: () => Int8Array.from([-8, 7, 0, -1, 3]),
  int8: () => Int8Array.from([-128, 127, 0, -1, 3]),
  int16: () => Int16Array.from([-32768, 32767, 0, -1, 300]),
  int32: () => Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 0, -1, 70000]),
  int64: () => BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 40n]),
  uint4: () => Uint8Array.from([0, 15, 1, 8, 7]),
  uint8: () => Uint8Array.from([0, 255, 1, 128, 7]),
  uint16: () => Uint16Array.from([0, 65535, 1, 32768, 7]),
  uint32: () => Uint32Array.from([0, 2 ** 32 - 1, 1, 2 ** 31, 7]),
  uint64: () => BigUint64Array.from([0n, 2n ** 64n - 1n, 1n, 2n ** 63n, 7n]),
  bool: () => Uint8Array.from([1, 0, 1, 1, 0]),
  string: () => ['', 'héllo', '日本語', 'a b', 'x'.repeat(300)],
};

const identityModels = new Map<DataType, ModelSpec>();

/**
 * y = Identity(x) over [5] tensors of one dtype: the smallest model that carries a dtype in and out. One object per
 * dtype, so a served copy can be found by identity (see servedNameOf in the server's tests).
 */
export function dtypeIdentityModel(dtype: DataType): ModelSpec {
  let spec = identityModels.get(dtype);
  if (!spec) {
    spec = {
      inputs: [{ name: 'x', dtype, dims: [5] }],
      outputs: [{ name: 'y', dtype, dims: [5] }],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
      // Identity takes int4/uint4 from opset 21 on.
      opset: dtype === 'int4' || dtype === 'uint4' ? 21 : 13,
      irVersion: dtype === 'int4' || dtype === 'uint4' ? 10 : 8,
    };
    identityModels.set(dtype, spec);
  }
  return spec;
}
