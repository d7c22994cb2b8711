import { InvalidTensorError } from './errors.js';

export type DataType = 'float32' | 'float16' | 'int32' | 'int64' | 'uint8' | 'int8' | 'bool';

/** The typed array that holds each dtype. float16 is kept as raw IEEE half bits; bool as 0/1 bytes. */
export interface TensorDataMap {
  float32: Float32Array;
  float16: Uint16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  int8: Int8Array;
  bool: Uint8Array;
}

export type TensorData = TensorDataMap[DataType];

const ARRAY_TYPES: { [K in DataType]: new (length: number) => TensorDataMap[K] } = {
  float32: Float32Array,
  float16: Uint16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  bool: Uint8Array,
};

export const DATA_TYPES = Object.keys(ARRAY_TYPES) as DataType[];

export function isDataType(value: unknown): value is DataType {
  return typeof value === 'string' && value in ARRAY_TYPES;
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

/**
 * A dense, CPU-readable tensor. This is what crosses backend boundaries: backends may keep data on a device inside a
 * session, but feeds and outputs are always plain typed arrays. The data is not copied on construction.
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
    const ArrayType = ARRAY_TYPES[dtype];
    if (!(data instanceof ArrayType)) {
      const got = (data as object | null)?.constructor?.name ?? typeof data;
      throw new InvalidTensorError(`A ${dtype} tensor needs a ${ArrayType.name}, got ${got}`, {
        dtype,
        expected: ArrayType.name,
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
    return new Tensor(dtype, new ARRAY_TYPES[dtype](sizeOf(dims)), dims);
  }

  /** Same data, other dims (no copy). */
  reshape(dims: readonly number[]): Tensor<T> {
    return new Tensor(this.dtype, this.data, dims);
  }
}

export type Feeds = Record<string, Tensor>;
