import type { Tensor, TensorData } from '@polyinfer/core';
import { allocateData, Tensor as PolyTensor } from '@polyinfer/core';

/** Copies `from` into `to` at an offset, for typed arrays and string arrays alike. */
function copyInto(to: TensorData, from: TensorData, offset: number): void {
  if (Array.isArray(to)) {
    for (let i = 0; i < from.length; i++) to[offset + i] = (from as string[])[i] as string;
  } else {
    (to as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(from as ArrayLike<unknown>, offset);
  }
}

/** Tensors of the same dtype and trailing dims, stacked along the first dimension. */
export function concatFirstAxis(tensors: readonly Tensor[]): Tensor {
  const first = tensors[0] as Tensor;
  if (tensors.length === 1) return first;
  const rows = tensors.reduce((n, t) => n + (t.dims[0] as number), 0);
  const data = allocateData(
    first.dtype,
    tensors.reduce((n, t) => n + t.size, 0),
  );
  let offset = 0;
  for (const t of tensors) {
    copyInto(data, t.data, offset);
    offset += t.size;
  }
  return new PolyTensor(first.dtype, data, [rows, ...first.dims.slice(1)]);
}

/** Rows [start, start + count) of a tensor along its first dimension, copied (an answer never shares a batch's memory). */
export function sliceFirstAxis(tensor: Tensor, start: number, count: number): Tensor {
  const rowSize = (tensor.dims[0] as number) === 0 ? 0 : tensor.size / (tensor.dims[0] as number);
  const data = (tensor.data as unknown as { slice(a: number, b: number): TensorData }).slice(
    start * rowSize,
    (start + count) * rowSize,
  );
  return new PolyTensor(tensor.dtype, data, [count, ...tensor.dims.slice(1)]);
}
