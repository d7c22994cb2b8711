import type { DataType } from './tensor.js';

/** onnx.proto's TensorProto.DataType numbers of the dtypes polyinfer holds. */
export const ONNX_ELEMENT_TYPE: Readonly<Record<DataType, number>> = Object.freeze({
  float32: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  float64: 11,
  uint32: 12,
  uint64: 13,
  bfloat16: 16,
  uint4: 21,
  int4: 22,
});

/** Every onnx.proto element type by number, with the names of those polyinfer holds as its dtypes. */
const ONNX_TYPE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  ...Object.fromEntries(Object.entries(ONNX_ELEMENT_TYPE).map(([name, n]) => [n, name])),
  14: 'complex64',
  15: 'complex128',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  23: 'float4e2m1',
  24: 'float8e8m0',
  25: 'uint2',
  26: 'int2',
});

const BY_NUMBER = new Map(Object.entries(ONNX_ELEMENT_TYPE).map(([name, n]) => [n, name as DataType]));

/** The polyinfer dtype of an ONNX element type, or undefined when polyinfer has no tensor for it. */
export function dtypeOfOnnxElementType(elementType: number): DataType | undefined {
  return BY_NUMBER.get(elementType);
}

/** An ONNX element type's name (polyinfer's dtype name where there is one), for messages and reports. */
export function onnxElementTypeName(elementType: number): string {
  return ONNX_TYPE_NAMES[elementType] ?? `onnx element type ${elementType}`;
}
