import { describe, expect, it } from 'vitest';
import { DATA_TYPES, InvalidTensorError, packFourBit, Tensor, unpackFourBit } from '@polyinfer/core';

describe('Tensor', () => {
  it('holds data without copying and freezes dims', () => {
    const data = new Float32Array(6);
    const t = new Tensor('float32', data, [2, 3]);
    expect(t.data).toBe(data);
    expect(t.size).toBe(6);
    expect(Object.isFrozen(t.dims)).toBe(true);
  });

  it('accepts every dtype with its typed array', () => {
    expect(new Tensor('float16', new Uint16Array(2), [2]).dtype).toBe('float16');
    expect(new Tensor('int32', new Int32Array(2), [2]).dtype).toBe('int32');
    expect(new Tensor('int64', new BigInt64Array(2), [1, 2]).dtype).toBe('int64');
    expect(new Tensor('uint8', new Uint8Array(2), [2]).dtype).toBe('uint8');
    expect(new Tensor('int8', new Int8Array(2), [2]).dtype).toBe('int8');
    expect(new Tensor('bool', new Uint8Array(1), []).size).toBe(1);
    expect(new Tensor('float64', new Float64Array(2), [2]).dtype).toBe('float64');
    expect(new Tensor('uint64', BigUint64Array.from([2n ** 64n - 1n]), [1]).data[0]).toBe(2n ** 64n - 1n);
    expect(new Tensor('string', ['a', 'héllo'], [2]).data).toEqual(['a', 'héllo']);
    expect(new Tensor('int4', Int8Array.from([-8, 7]), [2]).size).toBe(2);
    for (const dtype of DATA_TYPES) expect(Tensor.zeros(dtype, [3]).size, dtype).toBe(3);
    expect(Tensor.zeros('string', [2]).data).toEqual(['', '']);
  });

  it('rejects a string tensor of non-strings and 4-bit values out of range, naming them', () => {
    expect(() => new Tensor('string', ['a', 1] as unknown as string[], [2])).toThrow(
      /needs a string\[\], got an array that is not all strings/,
    );
    expect(() => new Tensor('int4', Int8Array.from([8]), [1])).toThrow(/int4 tensor holds 8, outside the type's range/);
    expect(() => new Tensor('uint4', Uint8Array.from([16]), [1])).toThrow(/uint4 tensor holds 16/);
  });

  it('rejects data whose length does not match the dims, naming both', () => {
    const error = (() => {
      try {
        new Tensor('float32', new Float32Array(5), [2, 3]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidTensorError);
    expect((error as InvalidTensorError).code).toBe('INVALID_TENSOR');
    expect((error as InvalidTensorError).details).toMatchObject({ expected: 6, got: 5 });
    expect((error as Error).message).toContain('[2, 3]');
  });

  it('rejects a typed array of the wrong kind, negative or fractional dims, unknown dtypes', () => {
    expect(() => new Tensor('float32', new Int32Array(2) as unknown as Float32Array, [2])).toThrow(
      /needs a Float32Array, got Int32Array/,
    );
    expect(() => new Tensor('float32', new Float32Array(2), [-2])).toThrow(InvalidTensorError);
    expect(() => new Tensor('float32', new Float32Array(2), [1.5])).toThrow(InvalidTensorError);
    expect(() => new Tensor('float64', new Float32Array(2) as unknown as Float64Array, [2])).toThrow(
      /needs a Float64Array, got Float32Array/,
    );
    expect(() => new Tensor('complex64' as 'float32', new Float32Array(2), [2])).toThrow(/Unknown dtype/);
  });

  it('zeros and reshape', () => {
    const z = Tensor.zeros('int64', [2, 2]);
    expect([...z.data]).toEqual([0n, 0n, 0n, 0n]);
    const r = z.reshape([4]);
    expect(r.data).toBe(z.data);
    expect(() => z.reshape([3])).toThrow(InvalidTensorError);
  });

  it('packs 4-bit values two to a byte, low nibble first, and back (sign-extended for int4)', () => {
    const values = Int8Array.from([-8, 7, -1, 0, 3]);
    const packed = packFourBit(values);
    expect([...packed]).toEqual([0x78, 0x0f, 0x03]);
    expect([...unpackFourBit('int4', packed, 5)]).toEqual([-8, 7, -1, 0, 3]);
    expect([...unpackFourBit('uint4', packed, 5)]).toEqual([8, 7, 15, 0, 3]);
  });
});
