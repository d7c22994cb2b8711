import { describe, expect, it } from 'vitest';
import { bfloat16ToNumber, float16ToNumber as halfToNumber, numberToFloat16, Tensor } from '@polyinfer/core';
import { compareTensors } from '@polyinfer/conformance';

const f32 = (values: number[]): Tensor => new Tensor('float32', Float32Array.from(values), [values.length]);

describe("onnx's comparison rule", () => {
  it('accepts differences within atol + rtol·|expected|, NaN for NaN and equal infinities', () => {
    expect(compareTensors(f32([1000, 0, NaN, Infinity]), f32([1000.9, 9e-8, NaN, Infinity]))).toEqual({ equal: true });
  });

  it('refuses a value outside the tolerance, naming the element and the largest difference', () => {
    const result = compareTensors(f32([1, 2, 3]), f32([1, 2.01, 3.5]));
    expect(result).toMatchObject({ equal: false, reason: 'element 1 is 2.009999990463257, expected 2' });
    expect((result as { maxDiff: number }).maxDiff).toBeCloseTo(0.5, 5);
    expect(compareTensors(f32([1]), f32([NaN])).equal).toBe(false);
    expect(compareTensors(f32([Infinity]), f32([-Infinity])).equal).toBe(false);
  });

  it('is exact for integers and strings, and checks dtype and shape first', () => {
    expect(
      compareTensors(
        new Tensor('int64', BigInt64Array.from([2n ** 62n]), [1]),
        new Tensor('int64', BigInt64Array.from([2n ** 62n + 1n]), [1]),
      ).equal,
    ).toBe(false);
    expect(compareTensors(new Tensor('string', ['a'], [1]), new Tensor('string', ['a'], [1])).equal).toBe(true);
    expect(compareTensors(f32([1, 2]), new Tensor('float64', Float64Array.from([1, 2]), [2]))).toEqual({
      equal: false,
      reason: 'dtype float64, expected float32',
    });
    expect(compareTensors(f32([1, 2]), new Tensor('float32', Float32Array.from([1, 2]), [1, 2]))).toEqual({
      equal: false,
      reason: 'shape [1, 2], expected [2]',
    });
  });

  it('decodes half and bfloat16 bits', () => {
    expect([halfToNumber(0x3c00), halfToNumber(0xc000), halfToNumber(0x7c00), halfToNumber(0x0001)]).toEqual([
      1,
      -2,
      Infinity,
      2 ** -24,
    ]);
    expect(Number.isNaN(halfToNumber(0x7e00))).toBe(true);
    expect([bfloat16ToNumber(0x3f80), bfloat16ToNumber(0xc040)]).toEqual([1, -3]);
    expect([numberToFloat16(1), numberToFloat16(-2), numberToFloat16(1e6), numberToFloat16(0.5)]).toEqual([
      0x3c00, 0xc000, 0x7c00, 0x3800,
    ]);
  });
});
