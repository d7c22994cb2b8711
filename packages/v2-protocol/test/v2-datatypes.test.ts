import { describe, expect, it } from 'vitest';
import { isPolyinferError, Tensor } from '@polyinfer/core';
import { decodeBytesElements, encodeBytesElements, fromV2Datatype, tensorFromBytes, tensorFromJson, tensorToBytes, tensorToJson, toV2Datatype } from '@polyinfer/v2-protocol';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('v2 datatypes', () => {
  it('map both ways for every polyinfer dtype', () => {
    for (const dtype of ['float32', 'float16', 'int32', 'int64', 'uint8', 'int8', 'bool'] as const) expect(fromV2Datatype(toV2Datatype(dtype))).toBe(dtype);
    expect(fromV2Datatype('BF16')).toBe('float32');
  });

  it('refuse a datatype polyinfer cannot hold, by name', () => {
    const error = thrown(() => fromV2Datatype('FP64'));
    expect(isPolyinferError(error, 'V2_PROTOCOL')).toBe(true);
    expect((error as Error).message).toMatch(/v2 datatype FP64 has no polyinfer tensor dtype/);
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
      expect([back.dtype, [...back.dims], Array.from(back.data as ArrayLike<unknown>)]).toEqual([t.dtype, [...t.dims], Array.from(t.data as ArrayLike<unknown>)]);
    }
  });

  it('BF16 widens exactly to float32', () => {
    const bf16 = Uint16Array.from([0x3f80, 0xc040]); // 1, -3
    expect(Array.from(tensorFromBytes('BF16', [2], new Uint8Array(bf16.buffer)).data as Float32Array)).toEqual([1, -3]);
  });

  it('binary data of the wrong size is refused, naming both sizes', () => {
    expect((thrown(() => tensorFromBytes('FP32', [2, 2], new Uint8Array(12))) as Error).message).toBe('binary data of FP32 [2, 2] should be 16 bytes, got 12');
  });

  it('JSON data: nested or flat, int64 beyond 2^53 as strings, FP16 refused', () => {
    expect(Array.from(tensorFromJson('FP32', [2, 2], [[1, 2], [3, 4]]).data as Float32Array)).toEqual([1, 2, 3, 4]);
    const big = new Tensor('int64', BigInt64Array.from([2n ** 60n, 7n]), [2]);
    expect(tensorToJson(big)).toEqual([(2n ** 60n).toString(), 7]);
    expect(Array.from(tensorFromJson('INT64', [2], tensorToJson(big)).data as BigInt64Array)).toEqual([2n ** 60n, 7n]);
    expect(isPolyinferError(thrown(() => tensorFromJson('FP16', [1], [1])), 'V2_PROTOCOL')).toBe(true);
    expect((thrown(() => tensorFromJson('FP32', [3], [1, 2])) as Error).message).toBe('JSON data of FP32 [3] should hold 3 elements, got 2');
  });

  it('BYTES elements: 4-byte little-endian lengths, then the bytes; a truncated one is refused', () => {
    const elements = [new TextEncoder().encode('hé'), new Uint8Array(0), Uint8Array.from([0, 255])];
    const encoded = encodeBytesElements(elements);
    expect(Array.from(encoded.subarray(0, 4))).toEqual([3, 0, 0, 0]);
    expect(decodeBytesElements(encoded).map((e) => Array.from(e))).toEqual(elements.map((e) => Array.from(e)));
    expect(isPolyinferError(thrown(() => decodeBytesElements(encoded.subarray(0, encoded.length - 1))), 'V2_PROTOCOL')).toBe(true);
  });
});
