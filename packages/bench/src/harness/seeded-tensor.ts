import type { DataType, NumericDataType, TensorDataMap } from '@polyinfer/core';
import { allocateData, numberToBfloat16, numberToFloat16, sizeOf, Tensor } from '@polyinfer/core';
import { seededRandom } from '@polyinfer/core/testing';

/** A closed range of input values, e.g. token ids inside a vocabulary: `--input-range ids=0..30521`. */
export interface InputRange {
  lo: number;
  hi: number;
}

/** What an input gets when no range is given: [0, 1) for floats; 0..9 for integers (small enough to index most dims). */
const DEFAULT_INTEGER_RANGE: InputRange = { lo: 0, hi: 9 };

/**
 * Seeded values of any dtype: floats uniform in [lo, hi) (default [0, 1)), integers uniform in [lo, hi] (default
 * 0..9), bools 0/1, strings short words. The same seed gives the same tensor in every cell, Node or browser.
 */
export function seededTensor(dtype: DataType, dims: readonly number[], seed: number, range?: InputRange): Tensor {
  const random = seededRandom(seed);
  const count = sizeOf(dims);
  const float = dtype === 'float16' || dtype === 'bfloat16' || dtype === 'float32' || dtype === 'float64';
  const { lo, hi } = range ?? (float ? { lo: 0, hi: 1 } : dtype === 'bool' ? { lo: 0, hi: 1 } : DEFAULT_INTEGER_RANGE);
  if (dtype === 'string')
    return new Tensor(
      'string',
      Array.from({ length: count }, () => `w${Math.floor(random() * 1000)}`),
      dims,
    );
  if (dtype === 'int64' || dtype === 'uint64') {
    const data = allocateData(dtype, count) as BigInt64Array | BigUint64Array;
    for (let i = 0; i < count; i++) data[i] = BigInt(lo + Math.floor(random() * (hi - lo + 1)));
    return new Tensor(dtype, data as TensorDataMap[typeof dtype], dims);
  }
  const data = allocateData(dtype as NumericDataType, count);
  for (let i = 0; i < count; i++) {
    const u = random();
    if (dtype === 'float16') data[i] = numberToFloat16(lo + u * (hi - lo));
    else if (dtype === 'bfloat16') data[i] = numberToBfloat16(lo + u * (hi - lo));
    else data[i] = float ? lo + u * (hi - lo) : lo + Math.floor(u * (hi - lo + 1));
  }
  return new Tensor(dtype, data, dims);
}
