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
  const dtype = c.dtype === 'int64' ? 'int64' : c.dtype === 'int32' ? 'int32' : c.dtype === 'bool' ? 'bool' : 'float32';
  return host(dtype, c.dims, Array.from(c.data as ArrayLike<number>));
}

/** Host → device; integer types become int32 (tfjs has no int64). */
export function toTensor(v: Value): tf.Tensor {
  if (!isHost(v)) return v;
  return tf.tensor(v.data, v.dims, v.dtype === 'float32' ? 'float32' : v.dtype === 'bool' ? 'bool' : 'int32');
}

/** Device → host, for small shape-like tensors computed on the device (a sync read). */
export function toHost(v: Value): HostTensor {
  if (isHost(v)) return v;
  return host(v.dtype === 'float32' ? 'float32' : v.dtype === 'bool' ? 'bool' : 'int64', [...v.shape], Array.from(v.dataSync()));
}

export const dimsOf = (v: Value): number[] => (isHost(v) ? v.dims : [...v.shape]);
