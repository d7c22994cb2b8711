import { describe, expect, it } from 'vitest';
import { DATA_TYPES, isPolyinferError, Tensor } from '@polyinfer/core';
import { DTYPE_SAMPLES } from '@polyinfer/core/testing';
import {
  decodeBytesElements,
  encodeBytesElements,
  fromV2Datatype,
  tensorFromBytes,
  tensorFromJson,
  tensorToBytes,
  tensorToJson,
  toV2Datatype,
  V2_DTYPES,
} from '@polyinfer/v2-protocol';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('v2 datatypes', () => {
  it('map both ways for every dtype the protocol carries; int4/uint4 and unknown names are refused by name', () => {
    expect([...V2_DTYPES].sort()).toEqual(DATA_TYPES.filter((d) => d !== 'int4' && d !== 'uint4').sort());
    for (const dtype of V2_DTYPES) expect(fromV2Datatype(toV2Datatype(dtype))).toBe(dtype);
    expect([toV2Datatype('float64'), toV2Datatype('uint64'), toV2Datatype('bfloat16'), toV2Datatype('string')]).toEqual(
      ['FP64', 'UINT64', 'BF16', 'BYTES'],
    );
    const error = thrown(() => toV2Datatype('int4'));
    expect(isPolyinferError(error, 'V2_PROTOCOL')).toBe(true);
    expect((error as Error).message).toMatch(/a int4 tensor has no Open Inference Protocol datatype/);
    expect((thrown(() => fromV2Datatype('FP8')) as Error).message).toMatch(/unknown v2 datatype "FP8"/);
  });

  it('binary round trip keeps every value, int64 past 2^53 and fp16 bits included', () => {
    const tensors = [
      new Tensor('float32', Float32Array.from([1.5, -2, 3e-8]), [3]),
      new Tensor('int64', BigInt64Array.from([2n ** 60n, -1n]), [2, 1]),
      new Tensor('float16', Uint16Array.from([0x3c00, 0xc000]), [2]),
      new Tensor('bool', Uint8Array.from([1, 0, 1]), [3]),
    ];
    for (const t of tensors) {
      const back = tensorFromBytes(toV2Datatype(t.dtype), [...t.dims], tensorToBytes(t));
      expect([back.dtype, [...back.dims], Array.from(back.data as ArrayLike<unknown>)]).toEqual([
        t.dtype,
        [...t.dims],
        Array.from(t.data as ArrayLike<unknown>),
      ]);
    }
  });

  it('binary round trip of every carried dtype keeps every value (FP64, INT16, UINT64 extremes, BF16 bits, BYTES text)', () => {
    for (const dtype of V2_DTYPES) {
      const t = new Tensor(dtype, DTYPE_SAMPLES[dtype](), [5]);
      const back = tensorFromBytes(toV2Datatype(dtype), [5], tensorToBytes(t));
      expect([back.dtype, Array.from(back.data as ArrayLike<unknown>)], dtype).toEqual([
        dtype,
        Array.from(t.data as ArrayLike<unknown>),
      ]);
    }
  });

  it('JSON round trip of every dtype with a JSON form (64-bit integers past 2^53 as strings)', () => {
    for (const dtype of V2_DTYPES.filter((d) => d !== 'float16' && d !== 'bfloat16')) {
      const t = new Tensor(dtype, DTYPE_SAMPLES[dtype](), [5]);
      const json = JSON.parse(JSON.stringify(tensorToJson(t))) as unknown;
      const back = tensorFromJson(toV2Datatype(dtype), [5], json);
      expect([back.dtype, Array.from(back.data as ArrayLike<unknown>)], dtype).toEqual([
        dtype,
        Array.from(t.data as ArrayLike<unknown>),
      ]);
    }
    expect(
      isPolyinferError(
        thrown(() => tensorFromJson('BF16', [1], [1])),
        'V2_PROTOCOL',
      ),
    ).toBe(true);
  });

  it('BYTES that are not UTF-8 text are refused as a string tensor, naming the element', () => {
    const elements = encodeBytesElements([new TextEncoder().encode('ok'), Uint8Array.from([0xff, 0xfe])]);
    expect((thrown(() => tensorFromBytes('BYTES', [2], elements)) as Error).message).toBe(
      'BYTES element 1 is not UTF-8 text; a string tensor holds text',
    );
  });

  it('binary data of the wrong size is refused, naming both sizes', () => {
    expect((thrown(() => tensorFromBytes('FP32', [2, 2], new Uint8Array(12))) as Error).message).toBe(
      'binary data of FP32 [2, 2] should be 16 bytes, got 12',
    );
  });

  it('JSON data: nested or flat, int64 beyond 2^53 as strings, FP16 refused', () => {
    expect(
      Array.from(
        tensorFromJson(
          'FP32',
          [2, 2],
          [
            [1, 2],
            [3, 4],
          ],
        ).data as Float32Array,
      ),
    ).toEqual([1, 2, 3, 4]);
    const big = new Tensor('int64', BigInt64Array.from([2n ** 60n, 7n]), [2]);
    expect(tensorToJson(big)).toEqual([(2n ** 60n).toString(), 7]);
    expect(Array.from(tensorFromJson('INT64', [2], tensorToJson(big)).data as BigInt64Array)).toEqual([2n ** 60n, 7n]);
    expect(
      isPolyinferError(
        thrown(() => tensorFromJson('FP16', [1], [1])),
        'V2_PROTOCOL',
      ),
    ).toBe(true);
    expect((thrown(() => tensorFromJson('FP32', [3], [1, 2])) as Error).message).toBe(
      'JSON data of FP32 [3] should hold 3 elements, got 2',
    );
  });

  it('BYTES elements: 4-byte little-endian lengths, then the bytes; a truncated one is refused', () => {
    const elements = [new TextEncoder().encode('hé'), new Uint8Array(0), Uint8Array.from([0, 255])];
    const encoded = encodeBytesElements(elements);
    expect(Array.from(encoded.subarray(0, 4))).toEqual([3, 0, 0, 0]);
    expect(decodeBytesElements(encoded).map((e) => Array.from(e))).toEqual(elements.map((e) => Array.from(e)));
    expect(
      isPolyinferError(
        thrown(() => decodeBytesElements(encoded.subarray(0, encoded.length - 1))),
        'V2_PROTOCOL',
      ),
    ).toBe(true);
  });
});
