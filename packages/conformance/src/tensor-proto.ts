import onnxProto from 'onnx-proto';
import type { DataType, Tensor } from '@polyinfer/core';
import {
  allocateData,
  dtypeOfOnnxElementType,
  onnxElementTypeName,
  sizeOf,
  Tensor as PolyTensor,
  unpackFourBit,
} from '@polyinfer/core';

const { onnx } = onnxProto;

/** A test-data tensor as polyinfer holds it, or the name of an element type it has no tensor for. */
export type DecodedTensor =
  { held: true; name: string; tensor: Tensor } | { held: false; name: string; elementType: string };

type LongLike = number | { toString(): string };
const big = (v: LongLike): bigint => BigInt(v.toString());

/** raw_data (little-endian, as onnx.proto says) copied into an aligned array of the dtype's storage. */
function fromRaw(
  dtype: Exclude<DataType, 'string' | 'int4' | 'uint4'>,
  raw: Uint8Array,
  count: number,
): Tensor['data'] {
  const data = allocateData(dtype, count) as Exclude<Tensor['data'], string[]>;
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(raw.subarray(0, data.byteLength));
  return data;
}

/** The typed fields onnx.proto keeps values in when raw_data is absent, per dtype. */
function fromFields(dtype: DataType, t: onnxProto.onnx.ITensorProto, count: number): Tensor['data'] {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(t.floatData ?? []);
    case 'float64':
      return Float64Array.from(t.doubleData ?? []);
    case 'int64':
      return BigInt64Array.from((t.int64Data ?? []) as LongLike[], (v) => BigInt.asIntN(64, big(v)));
    case 'uint64':
      return BigUint64Array.from((t.uint64Data ?? []) as LongLike[], (v) => BigInt.asUintN(64, big(v)));
    case 'uint32':
      return Uint32Array.from((t.uint64Data ?? []) as LongLike[], (v) => Number(big(v)));
    case 'string': {
      const decoder = new TextDecoder();
      return (t.stringData ?? []).map((b) => decoder.decode(b));
    }
    case 'int4':
    case 'uint4':
      return unpackFourBit(dtype, t.int32Data ?? [], count);
    default: {
      // int8/16/32, uint8/16, bool, and float16/bfloat16 as their bits: all in int32_data.
      const data = allocateData(dtype, count) as Exclude<Tensor['data'], string[] | BigInt64Array | BigUint64Array>;
      (t.int32Data ?? []).forEach((v, i) => {
        data[i] = v;
      });
      return data;
    }
  }
}

/** A serialised TensorProto (a test data set's input_N.pb / output_N.pb) as a polyinfer tensor. */
export function decodeTensorProto(bytes: Uint8Array): DecodedTensor {
  const t = onnx.TensorProto.decode(bytes);
  const name = t.name ?? '';
  const elementType = t.dataType ?? 0;
  const dtype = dtypeOfOnnxElementType(elementType);
  if (dtype === undefined) return { held: false, name, elementType: onnxElementTypeName(elementType) };
  const dims = (t.dims ?? []).map((d) => Number(d.toString()));
  const count = sizeOf(dims);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  let data: Tensor['data'];
  if (raw === undefined || dtype === 'string') data = fromFields(dtype, t, count);
  else if (dtype === 'int4' || dtype === 'uint4') data = unpackFourBit(dtype, raw, count);
  else data = fromRaw(dtype, raw, count);
  return { held: true, name, tensor: new PolyTensor(dtype, data, dims) };
}
