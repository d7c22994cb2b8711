import type { DataType, NumericDataType, TensorDataMap } from '@polyinfer/core';
import { allocateData, sizeOf, Tensor } from '@polyinfer/core';
import { V2ProtocolError } from './v2-protocol-error.js';

/** The tensor datatypes of the Open Inference Protocol (KServe v2), "Tensor Data Types". */
export type V2Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BF16'
  | 'BYTES';

/** Each v2 datatype as the polyinfer dtype that holds it (BYTES as strings: UTF-8 text). */
const FROM_V2: Readonly<Record<V2Datatype, DataType>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BF16: 'bfloat16',
  BYTES: 'string',
};

const TO_V2 = new Map(Object.entries(FROM_V2).map(([v2, dtype]) => [dtype, v2 as V2Datatype]));

/** The polyinfer dtypes the protocol carries: all but int4/uint4, which it has no datatype for. */
export const V2_DTYPES: readonly DataType[] = Object.values(FROM_V2);

/** Bytes per element in the binary form (BYTES is length-prefixed, so variable). */
export const V2_ELEMENT_BYTES: Record<Exclude<V2Datatype, 'BYTES'>, number> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  BF16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

export function isV2Datatype(value: unknown): value is V2Datatype {
  return typeof value === 'string' && value in FROM_V2;
}

export function toV2Datatype(dtype: DataType): V2Datatype {
  const datatype = TO_V2.get(dtype);
  if (datatype === undefined)
    throw new V2ProtocolError(
      `a ${dtype} tensor has no Open Inference Protocol datatype (it carries ${V2_DTYPES.join(', ')})`,
      { dtype },
    );
  return datatype;
}

/** The polyinfer dtype a v2 datatype arrives as; an unknown name is refused by name. */
export function fromV2Datatype(datatype: string): DataType {
  if (!isV2Datatype(datatype))
    throw new V2ProtocolError(
      `unknown v2 datatype ${JSON.stringify(datatype)?.slice(0, 100)} (the protocol has ${Object.keys(FROM_V2).join(', ')})`,
      { datatype },
    );
  return FROM_V2[datatype];
}

/** A string tensor's elements as UTF-8 bytes, the BYTES datatype's elements. */
export function stringElements(tensor: Tensor<'string'>): Uint8Array[] {
  const encoder = new TextEncoder();
  return tensor.data.map((s) => encoder.encode(s));
}

/** BYTES elements as a string tensor; an element that is not UTF-8 text is refused (a string tensor holds text). */
export function stringTensorFromElements(shape: readonly number[], elements: readonly Uint8Array[]): Tensor<'string'> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const data = elements.map((e, i) => {
    try {
      return decoder.decode(e);
    } catch {
      throw new V2ProtocolError(`BYTES element ${i} is not UTF-8 text; a string tensor holds text`, { element: i });
    }
  });
  if (data.length !== sizeOf(shape))
    throw new V2ProtocolError(`BYTES [${shape.join(', ')}] needs ${sizeOf(shape)} elements, got ${data.length}`, {
      expected: sizeOf(shape),
      got: data.length,
    });
  return new Tensor('string', data, shape);
}

/** A tensor's elements in the binary form: little-endian bytes, row-major, no padding; BYTES length-prefixed. */
export function tensorToBytes(tensor: Tensor): Uint8Array {
  if (tensor.dtype === 'string') return encodeBytesElements(stringElements(tensor as Tensor<'string'>));
  toV2Datatype(tensor.dtype);
  const data = tensor.data as Exclude<TensorDataMap[DataType], string[]>;
  // Every platform polyinfer runs on is little-endian, as the protocol's binary form is: the typed array's bytes are it.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A polyinfer tensor from binary tensor data of a v2 datatype (copied, so it does not pin the response buffer). */
export function tensorFromBytes(datatype: string, shape: readonly number[], bytes: Uint8Array): Tensor {
  const dtype = fromV2Datatype(datatype);
  const count = sizeOf(shape);
  if (dtype === 'string') return stringTensorFromElements(shape, decodeBytesElements(bytes, count));
  const elementBytes = V2_ELEMENT_BYTES[datatype as Exclude<V2Datatype, 'BYTES'>];
  if (bytes.byteLength !== count * elementBytes) {
    throw new V2ProtocolError(
      `binary data of ${datatype} [${shape.join(', ')}] should be ${count * elementBytes} bytes, got ${bytes.byteLength}`,
      {
        datatype,
        shape,
        expected: count * elementBytes,
        got: bytes.byteLength,
      },
    );
  }
  // A copy of exactly these bytes (Buffer.slice would share Node's pooled memory), viewed as the dtype's storage.
  const data = allocateData(dtype, count) as Exclude<TensorDataMap[DataType], string[]>;
  new Uint8Array(data.buffer).set(bytes);
  return new Tensor(dtype, data, shape);
}

function jsonNumber(datatype: string, v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new V2ProtocolError(`JSON data of ${datatype} holds a ${typeof v}, not a number`, { datatype });
}

function jsonBigInt(datatype: string, v: unknown): bigint {
  try {
    return BigInt(typeof v === 'string' ? v : Math.trunc(jsonNumber(datatype, v)));
  } catch (error) {
    if (error instanceof V2ProtocolError) throw error;
    throw new V2ProtocolError(`JSON data of ${datatype} holds ${JSON.stringify(v)?.slice(0, 40)}, not an integer`, {
      datatype,
    });
  }
}

/** JSON tensor data ("data": a flat or nested array) as a polyinfer tensor. */
export function tensorFromJson(datatype: string, shape: readonly number[], data: unknown): Tensor {
  const dtype = fromV2Datatype(datatype);
  const flat = Array.isArray(data) ? (data.flat(Infinity) as unknown[]) : [];
  const count = sizeOf(shape);
  if (flat.length !== count) {
    throw new V2ProtocolError(
      `JSON data of ${datatype} [${shape.join(', ')}] should hold ${count} elements, got ${flat.length}`,
      { datatype, shape, expected: count, got: flat.length },
    );
  }
  if (dtype === 'float16' || dtype === 'bfloat16') {
    throw new V2ProtocolError(
      `${datatype} cannot be sent as JSON numbers (the protocol has no JSON form for it); use the binary data extension`,
      { datatype },
    );
  }
  if (dtype === 'string') {
    if (!flat.every((v) => typeof v === 'string'))
      throw new V2ProtocolError('BYTES data in JSON is an array of strings', { datatype });
    return new Tensor('string', flat as string[], shape);
  }
  if (dtype === 'int64')
    return new Tensor(
      'int64',
      BigInt64Array.from(flat, (v) => BigInt.asIntN(64, jsonBigInt(datatype, v))),
      shape,
    );
  if (dtype === 'uint64')
    return new Tensor(
      'uint64',
      BigUint64Array.from(flat, (v) => BigInt.asUintN(64, jsonBigInt(datatype, v))),
      shape,
    );
  const values = allocateData(dtype as NumericDataType, count);
  flat.forEach((v, i) => {
    values[i] = jsonNumber(datatype, v);
  });
  return new Tensor(dtype, values, shape);
}

const asJsonInteger = (v: bigint): number | string =>
  v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();

/** A tensor's elements as a flat JSON array (64-bit integers as numbers where exact, strings beyond 2^53). */
export function tensorToJson(tensor: Tensor): (number | boolean | string)[] {
  switch (tensor.dtype) {
    case 'bool':
      return Array.from(tensor.data as Uint8Array, (v) => v !== 0);
    case 'int64':
    case 'uint64':
      return Array.from(tensor.data as BigInt64Array | BigUint64Array, asJsonInteger);
    case 'string':
      return [...(tensor.data as string[])];
    case 'float16':
    case 'bfloat16':
      throw new V2ProtocolError(
        `${toV2Datatype(tensor.dtype)} cannot be sent as JSON numbers; use the binary data extension`,
        { datatype: toV2Datatype(tensor.dtype) },
      );
    default:
      toV2Datatype(tensor.dtype);
      return Array.from(tensor.data as ArrayLike<number>);
  }
}

/** BYTES elements in the binary form: each a 4-byte little-endian length, then the bytes. */
export function encodeBytesElements(elements: readonly Uint8Array[]): Uint8Array {
  const total = elements.reduce((n, e) => n + 4 + e.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const e of elements) {
    view.setUint32(offset, e.byteLength, true);
    out.set(e, offset + 4);
    offset += 4 + e.byteLength;
  }
  return out;
}

/**
 * BYTES elements from their binary form. With `expected`, more elements than that is an error as soon as it shows,
 * so millions of empty elements in a small body never become millions of objects.
 */
export function decodeBytesElements(bytes: Uint8Array, expected?: number): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (expected !== undefined && out.length === expected)
      throw new V2ProtocolError(`BYTES data holds more than the ${expected} elements its shape declares`, { expected });
    if (offset + 4 > bytes.byteLength) throw new V2ProtocolError('BYTES data ends inside an element length', {});
    const length = view.getUint32(offset, true);
    if (offset + 4 + length > bytes.byteLength)
      throw new V2ProtocolError(`a BYTES element of ${length} bytes runs past the end of its data`, { length });
    out.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return out;
}
