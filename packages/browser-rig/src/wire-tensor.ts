import type { DataType, Tensor } from '@polyinfer/core';
import { allocateData, sizeOf, Tensor as PolyTensor } from '@polyinfer/core';

/**
 * A tensor as it crosses page.evaluate (JSON only): its storage bytes as base64 for every numeric dtype (bigints,
 * halves and one-value-per-byte int4 included), its elements for strings. Unlike the v2 binary layout it carries int4.
 */
export interface WireTensor {
  name: string;
  dtype: DataType;
  dims: number[];
  base64?: string;
  strings?: string[];
}

function base64OfBytes(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function tensorToWire(name: string, tensor: Tensor): WireTensor {
  const { dtype, data } = tensor;
  const dims = [...tensor.dims];
  if (Array.isArray(data)) return { name, dtype, dims, strings: [...data] };
  const view = data as Exclude<Tensor['data'], string[]>;
  return { name, dtype, dims, base64: base64OfBytes(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)) };
}

export function tensorFromWire(wire: WireTensor): Tensor {
  if (wire.dtype === 'string') return new PolyTensor('string', [...(wire.strings ?? [])], wire.dims);
  const data = allocateData(wire.dtype, sizeOf(wire.dims)) as Exclude<Tensor['data'], string[]>;
  const bytes = Uint8Array.from(atob(wire.base64 ?? ''), (c) => c.charCodeAt(0));
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(bytes.subarray(0, data.byteLength));
  return new PolyTensor(wire.dtype, data, wire.dims);
}
