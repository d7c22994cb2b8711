import * as tf from '@tensorflow/tfjs-core';
import type { ConstTensor } from '../onnx/onnx-graph.js';

/**
 * A value flowing through the graph: a tfjs tensor on the device, or a host tensor (shape arithmetic, int64 indices)
 * kept in JS so that Shape → Gather → Concat → Reshape chains never round-trip through the device.
 */
export type Value = tf.Tensor | HostTensor;

export interface HostTensor {
  host: true;
  dtype: 'float32' | 'int64' | 'int32' | 'bool';
  dims: number[];
  data: number[];
}

export const isHost = (v: Value | undefined): v is HostTensor => v !== undefined && (v as HostTensor).host === true;

export function host(dtype: HostTensor['dtype'], dims: number[], data: number[]): HostTensor {
  return { host: true, dtype, dims, data };
}

export function hostOfConst(c: ConstTensor): HostTensor {
  // The narrow integers compute as int32, as tfjs holds them.
  const dtype =
    c.dtype === 'int64' ? 'int64' : c.dtype === 'bool' ? 'bool' : c.dtype === 'float32' ? 'float32' : 'int32';
  return host(dtype, c.dims, Array.from(c.data as ArrayLike<number>));
}

const INT32_MAX = 2 ** 31 - 1;

/** Host → device; integer types become int32 (tfjs has no int64): an int64 value int32 cannot hold is refused, never wrapped. */
export function toTensor(v: Value): tf.Tensor {
  if (!isHost(v)) return v;
  if (v.dtype === 'int64') {
    const outside = v.data.find((x) => x > INT32_MAX || x < -INT32_MAX - 1);
    if (outside !== undefined)
      throw new RangeError(`an int64 value (${outside}) reaches a tfjs kernel, which computes integers in int32`);
  }
  return tf.tensor(v.data, v.dims, v.dtype === 'float32' ? 'float32' : v.dtype === 'bool' ? 'bool' : 'int32');
}

/** Device → host, for small shape-like tensors computed on the device (a sync read). */
export function toHost(v: Value): HostTensor {
  if (isHost(v)) return v;
  return host(
    v.dtype === 'float32' ? 'float32' : v.dtype === 'bool' ? 'bool' : 'int64',
    [...v.shape],
    Array.from(v.dataSync()),
  );
}

export const dimsOf = (v: Value): number[] => (isHost(v) ? v.dims : [...v.shape]);
