import type { DataType, TensorData } from '@polyinfer/core';
import { sizeOf, Tensor } from '@polyinfer/core';
import { V2ProtocolError } from './v2-protocol-error.js';

/** The tensor datatypes of the Open Inference Protocol (KServe v2), "Tensor Data Types". */
export type V2Datatype = 'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BF16' | 'BYTES';

const TO_V2: Record<DataType, V2Datatype> = {
  bool: 'BOOL',
  uint8: 'UINT8',
  int8: 'INT8',
  int32: 'INT32',
  int64: 'INT64',
  float16: 'FP16',
  float32: 'FP32',
};

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
  return typeof value === 'string' && (value === 'BYTES' || value in V2_ELEMENT_BYTES);
}

export function toV2Datatype(dtype: DataType): V2Datatype {
  return TO_V2[dtype];
}

/**
 * The polyinfer dtype a v2 datatype arrives as. BF16 widens to float32 exactly (bf16 is float32's upper half);
 * the others polyinfer has no tensor for are refused by name.
 */
export function fromV2Datatype(datatype: string): DataType {
  switch (datatype) {
    case 'BOOL':
      return 'bool';
    case 'UINT8':
      return 'uint8';
    case 'INT8':
      return 'int8';
    case 'INT32':
      return 'int32';
    case 'INT64':
      return 'int64';
    case 'FP16':
      return 'float16';
    case 'FP32':
    case 'BF16':
      return 'float32';
    default:
      throw new V2ProtocolError(
        `v2 datatype ${datatype} has no polyinfer tensor dtype (polyinfer holds BOOL, UINT8, INT8, INT32, INT64, FP16, FP32 and BF16 as float32)`,
        { datatype },
      );
  }
}

/** A tensor's elements as little-endian bytes, row-major, no padding (the binary extension's layout). */
export function tensorToBytes(tensor: Tensor): Uint8Array {
  const data = tensor.data;
  // Every platform polyinfer runs on is little-endian, as the protocol's binary form is: the typed array's bytes are it.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A polyinfer tensor from binary tensor data of a v2 datatype (copied, so it does not pin the response buffer). */
export function tensorFromBytes(datatype: string, shape: readonly number[], bytes: Uint8Array): Tensor {
  const dtype = fromV2Datatype(datatype);
  const count = sizeOf(shape);
  const elementBytes = V2_ELEMENT_BYTES[datatype as Exclude<V2Datatype, 'BYTES'>];
  if (bytes.byteLength !== count * elementBytes) {
    throw new V2ProtocolError(`binary data of ${datatype} [${shape.join(', ')}] should be ${count * elementBytes} bytes, got ${bytes.byteLength}`, {
      datatype,
      shape,
      expected: count * elementBytes,
      got: bytes.byteLength,
    });
  }
  // A copy of exactly these bytes (Buffer.slice would share Node's pooled memory).
  const copy = new Uint8Array(bytes).buffer;
  if (datatype === 'BF16') {
    const halves = new Uint16Array(copy);
    const widened = new Uint32Array(count);
    for (let i = 0; i < count; i++) widened[i] = (halves[i] as number) << 16;
    return new Tensor('float32', new Float32Array(widened.buffer), shape);
  }
  const ArrayType = { bool: Uint8Array, uint8: Uint8Array, int8: Int8Array, int32: Int32Array, int64: BigInt64Array, float16: Uint16Array, float32: Float32Array }[dtype];
  return new Tensor(dtype, new ArrayType(copy) as TensorData, shape);
}

/** JSON tensor data ("data": a flat or nested array) as a polyinfer tensor. */
export function tensorFromJson(datatype: string, shape: readonly number[], data: unknown): Tensor {
  const dtype = fromV2Datatype(datatype);
  const flat = Array.isArray(data) ? (data.flat(Infinity) as unknown[]) : [];
  const count = sizeOf(shape);
  if (flat.length !== count) {
    throw new V2ProtocolError(`JSON data of ${datatype} [${shape.join(', ')}] should hold ${count} elements, got ${flat.length}`, { datatype, shape, expected: count, got: flat.length });
  }
  if (datatype === 'FP16') throw new V2ProtocolError('FP16 cannot be sent as JSON numbers (the protocol has no JSON form for it); use the binary data extension', { datatype });
  const number = (v: unknown): number => {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw new V2ProtocolError(`JSON data of ${datatype} holds a ${typeof v}, not a number`, { datatype });
  };
  switch (dtype) {
    case 'int64':
      return new Tensor('int64', BigInt64Array.from(flat, (v) => BigInt(typeof v === 'string' ? v : Math.trunc(number(v)))), shape);
    case 'float32':
      return new Tensor('float32', Float32Array.from(flat, number), shape);
    case 'int32':
      return new Tensor('int32', Int32Array.from(flat, number), shape);
    case 'int8':
      return new Tensor('int8', Int8Array.from(flat, number), shape);
    default:
      return new Tensor(dtype, Uint8Array.from(flat, number), shape);
  }
}

/** A tensor's elements as a flat JSON array (int64 as numbers where exact, strings beyond 2^53). */
export function tensorToJson(tensor: Tensor): (number | boolean | string)[] {
  if (tensor.dtype === 'bool') return Array.from(tensor.data as Uint8Array, (v) => v !== 0);
  if (tensor.dtype === 'int64') return Array.from(tensor.data as BigInt64Array, (v) => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString()));
  if (tensor.dtype === 'float16') throw new V2ProtocolError('FP16 cannot be sent as JSON numbers; use the binary data extension', { datatype: 'FP16' });
  return Array.from(tensor.data as ArrayLike<number>);
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
    if (expected !== undefined && out.length === expected) throw new V2ProtocolError(`BYTES data holds more than the ${expected} elements its shape declares`, { expected });
    if (offset + 4 > bytes.byteLength) throw new V2ProtocolError('BYTES data ends inside an element length', {});
    const length = view.getUint32(offset, true);
    if (offset + 4 + length > bytes.byteLength) throw new V2ProtocolError(`a BYTES element of ${length} bytes runs past the end of its data`, { length });
    out.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return out;
}
