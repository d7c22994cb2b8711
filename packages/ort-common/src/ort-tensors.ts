import type { DataType, Feeds, TensorData, TensorInfo } from '@polyinfer/core';
import { Tensor } from '@polyinfer/core';
import type { OrtRuntime, OrtTensor } from './ort-runtime.js';

/** onnxruntime's input/output metadata. */
export interface OrtValueMetadata {
  name: string;
  isTensor: boolean;
  type?: unknown;
  shape?: readonly (number | string)[];
}

/**
 * onnxruntime's metadata as polyinfer's TensorInfo. An unnamed dynamic dim ('') becomes -1; types polyinfer has no
 * Tensor for (string, float64, …) are reported as they are, and feeding them then fails validation.
 */
export function tensorInfoFromOrt(meta: OrtValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, dtype: 'float32', dims: [] };
  return { name: meta.name, dtype: meta.type as DataType, dims: (meta.shape ?? []).map((d) => (d === '' ? -1 : d)) };
}

/** polyinfer feeds as onnxruntime tensors over the same typed arrays: no copy on the way in. */
export function feedsToOrt(ort: OrtRuntime, feeds: Feeds): Record<string, OrtTensor> {
  const out: Record<string, OrtTensor> = {};
  for (const [name, t] of Object.entries(feeds)) out[name] = new ort.Tensor(t.dtype, t.data as never, t.dims);
  return out;
}

/** onnxruntime's outputs (read back to CPU memory, the default output location) as polyinfer tensors, no copy. */
export function outputsFromOrt(results: Record<string, { type: string; data: unknown; dims: readonly number[] }>): Feeds {
  const out: Feeds = {};
  for (const [name, value] of Object.entries(results)) out[name] = new Tensor(value.type as DataType, value.data as TensorData, value.dims);
  return out;
}
