import type { DataType, Feeds, TensorData, TensorInfo } from '@polyinfer/core';
import { DATA_TYPES, Tensor } from '@polyinfer/core';
import type { OrtRuntime, OrtTensor } from './ort-runtime.js';

/** onnxruntime's input/output metadata. */
export interface OrtValueMetadata {
  name: string;
  isTensor: boolean;
  type?: unknown;
  shape?: readonly (number | string)[];
}

/**
 * The dtypes onnxruntime's JavaScript bindings (node and web) carry in and out: every polyinfer dtype but bfloat16,
 * which onnxruntime-common has no type for, and int4/uint4, which it names but neither binding creates a tensor of
 * ("Tensor.type is not supported: int4" in node, "unsupported type: int4" in web, 1.30).
 */
export const ORT_DTYPES: readonly DataType[] = DATA_TYPES.filter(
  (d) => d !== 'bfloat16' && d !== 'int4' && d !== 'uint4',
);

/** What a non-tensor value (sequence, map, optional) is reported as: no backend declares it, so loading refuses it. */
const NON_TENSOR = 'sequence, map or optional (not a tensor)';

/**
 * onnxruntime's metadata as polyinfer's TensorInfo. An unnamed dynamic dim ('') becomes -1; a type polyinfer has no
 * Tensor for is reported by onnxruntime's name for it, so that the load check refuses the model naming it.
 */
export function tensorInfoFromOrt(meta: OrtValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, dtype: NON_TENSOR as DataType, dims: [] };
  return {
    name: meta.name,
    dtype: String(meta.type) as DataType,
    dims: (meta.shape ?? []).map((d) => (d === '' ? -1 : d)),
  };
}

/** polyinfer feeds as onnxruntime tensors over the same arrays: no copy on the way in. */
export function feedsToOrt(ort: OrtRuntime, feeds: Feeds): Record<string, OrtTensor> {
  const out: Record<string, OrtTensor> = {};
  for (const [name, t] of Object.entries(feeds)) out[name] = new ort.Tensor(t.dtype as never, t.data as never, t.dims);
  return out;
}

/** onnxruntime's outputs (read back to CPU memory, the default output location) as polyinfer tensors, no copy. */
export function outputsFromOrt(
  results: Record<string, { type: string; data: unknown; dims: readonly number[] }>,
): Feeds {
  const out: Feeds = {};
  for (const [name, value] of Object.entries(results)) {
    const { type, data } = value;
    // onnxruntime-web gives float16 as a Float16Array where the platform has one (Chromium does): polyinfer keeps the bits.
    const bits =
      type === 'float16' && !(data instanceof Uint16Array)
        ? new Uint16Array((data as Uint16Array).buffer, (data as Uint16Array).byteOffset, (data as Uint16Array).length)
        : data;
    out[name] = new Tensor(type as DataType, bits as TensorData, value.dims);
  }
  return out;
}
