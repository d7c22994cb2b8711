import { InvalidTensorError } from './errors.js';

/**
 * The element types a polyinfer Tensor holds, named as onnxruntime-common names them. Which ones a backend runs is in
 * its `capabilities.dtypes`; a model needing another is refused at load (UNSUPPORTED_DTYPE).
 */
export type DataType =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'bfloat16'
  | 'int4'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint4'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string';

/**
 * The storage of each dtype: one array element per tensor element. float16 and bfloat16 are kept as their raw 16 bits;
 * bool as 0/1 bytes; int4/uint4 one value per byte (a runtime that packs them two to a byte does so at its boundary).
 */
export interface TensorDataMap {
  float16: Uint16Array;
  float32: Float32Array;
  float64: Float64Array;
  bfloat16: Uint16Array;
  int4: Int8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint4: Uint8Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: string[];
}

export type TensorData = TensorDataMap[DataType];

/** The dtypes whose storage is a typed array of numbers (all but int64/uint64's bigints and string). */
export type NumericDataType = Exclude<DataType, 'int64' | 'uint64' | 'string'>;

type TypedArrayType = new (length: number) => Exclude<TensorData, string[]>;

const TYPED_ARRAYS: { [K in Exclude<DataType, 'string'>]: TypedArrayType } = {
  float16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
  bfloat16: Uint16Array,
  int4: Int8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint4: Uint8Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

export const DATA_TYPES: readonly DataType[] = Object.freeze([...(Object.keys(TYPED_ARRAYS) as DataType[]), 'string']);

/** Bytes per element in memory (int4/uint4 use a byte each here; string has no fixed size: 0). */
export const DTYPE_BYTES: Readonly<Record<DataType, number>> = Object.freeze({
  float16: 2,
  float32: 4,
  float64: 8,
  bfloat16: 2,
  int4: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint4: 1,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  bool: 1,
  string: 0,
});

export function isDataType(value: unknown): value is DataType {
  return typeof value === 'string' && (DATA_TYPES as readonly string[]).includes(value);
}

/** A new, zero-filled (empty-string for string) storage array of a dtype. */
export function allocateData<T extends DataType>(dtype: T, length: number): TensorDataMap[T] {
  if (dtype === 'string') return new Array<string>(length).fill('') as TensorDataMap[T];
  return new TYPED_ARRAYS[dtype as Exclude<DataType, 'string'>](length) as TensorDataMap[T];
}

export function sizeOf(dims: readonly number[]): number {
  let size = 1;
  for (const d of dims) size *= d;
  return size;
}

// Shared by every copy of core in a process: a Tensor made by one copy is a Tensor to another.
const TENSOR_BRAND = Symbol.for('polyinfer.tensor');

/** A polyinfer Tensor, made by this or any other copy of @polyinfer/core. */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TENSOR_BRAND] === true;
}

function storageName(dtype: DataType): string {
  return dtype === 'string' ? 'string[]' : TYPED_ARRAYS[dtype].name;
}

function holdsStorage(dtype: DataType, data: unknown): boolean {
  if (dtype === 'string') return Array.isArray(data) && data.every((v) => typeof v === 'string');
  return data instanceof TYPED_ARRAYS[dtype];
}

/** The first element outside a 4-bit type's range, if any (its storage byte holds wider values). */
function outOfRange4Bit(dtype: 'int4' | 'uint4', data: Int8Array | Uint8Array): number | undefined {
  const [lo, hi] = dtype === 'int4' ? [-8, 7] : [0, 15];
  for (const v of data) if (v < lo || v > hi) return v;
  return undefined;
}

/**
 * A dense, CPU-readable tensor. This is what crosses backend boundaries: backends may keep data on a device inside a
 * session, but feeds and outputs are always plain arrays. The data is not copied on construction.
 */
export class Tensor<T extends DataType = DataType> {
  readonly dtype: T;
  readonly dims: readonly number[];
  readonly data: TensorDataMap[T];
  readonly size: number;

  constructor(dtype: T, data: TensorDataMap[T], dims: readonly number[]) {
    if (!isDataType(dtype)) {
      throw new InvalidTensorError(`Unknown dtype "${String(dtype)}"; expected one of ${DATA_TYPES.join(', ')}`, {
        dtype,
      });
    }
    for (const d of dims) {
      if (!Number.isInteger(d) || d < 0) {
        throw new InvalidTensorError(`Tensor dims must be non-negative integers, got [${dims.join(', ')}]`, { dims });
      }
    }
    if (!holdsStorage(dtype, data)) {
      const got = Array.isArray(data)
        ? 'an array that is not all strings'
        : ((data as object | null)?.constructor?.name ?? typeof data);
      throw new InvalidTensorError(`A ${dtype} tensor needs a ${storageName(dtype)}, got ${got}`, {
        dtype,
        expected: storageName(dtype),
        got,
      });
    }
    const size = sizeOf(dims);
    if (data.length !== size) {
      throw new InvalidTensorError(
        `Tensor data length ${data.length} does not match dims [${dims.join(', ')}] (${size} elements)`,
        { dims, expected: size, got: data.length },
      );
    }
    if (dtype === 'int4' || dtype === 'uint4') {
      const bad = outOfRange4Bit(dtype, data as Int8Array | Uint8Array);
      if (bad !== undefined)
        throw new InvalidTensorError(`A ${dtype} tensor holds ${bad}, outside the type's range`, { dtype, got: bad });
    }
    this.dtype = dtype;
    this.data = data;
    this.dims = Object.freeze([...dims]);
    this.size = size;
    Object.defineProperty(this, TENSOR_BRAND, { value: true });
  }

  /** `value instanceof Tensor` holds for tensors of any copy of core (see isTensor). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isTensor(value);
  }

  static zeros<T extends DataType>(dtype: T, dims: readonly number[]): Tensor<T> {
    return new Tensor(dtype, allocateData(dtype, sizeOf(dims)), dims);
  }

  /** Same data, other dims (no copy). */
  reshape(dims: readonly number[]): Tensor<T> {
    return new Tensor(this.dtype, this.data, dims);
  }
}

export type Feeds = Record<string, Tensor>;
