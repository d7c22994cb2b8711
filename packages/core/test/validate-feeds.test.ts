import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '@polyinfer/core';
import { isPolyinferError, Tensor, validateFeeds } from '@polyinfer/core';

const inputs: TensorInfo[] = [
  { name: 'x', dtype: 'float32', dims: ['N', 3, 'H', 'W'] },
  { name: 'mask', dtype: 'uint8', dims: ['N', 'H', 'W'] },
];

const x = (n: number, h: number, w: number): Tensor =>
  new Tensor('float32', new Float32Array(n * 3 * h * w), [n, 3, h, w]);
const mask = (n: number, h: number, w: number): Tensor => new Tensor('uint8', new Uint8Array(n * h * w), [n, h, w]);

function codeOf(f: () => void): string | undefined {
  try {
    f();
  } catch (e) {
    return isPolyinferError(e) ? e.code : 'not a PolyinferError';
  }
  return undefined;
}

describe('validateFeeds', () => {
  it('accepts feeds that fit, symbolic dims free', () => {
    expect(codeOf(() => validateFeeds(inputs, { x: x(2, 8, 16), mask: mask(2, 8, 16) }))).toBeUndefined();
  });

  it('names unknown and missing inputs', () => {
    expect(codeOf(() => validateFeeds(inputs, { x: x(1, 2, 2), mask: mask(1, 2, 2), extra: mask(1, 2, 2) }))).toBe(
      'INVALID_INPUT_NAME',
    );
    expect(codeOf(() => validateFeeds(inputs, { x: x(1, 2, 2) }))).toBe('MISSING_INPUT');
  });

  it('checks dtype, rank, fixed dims and symbolic dims bound across inputs', () => {
    expect(
      codeOf(() =>
        validateFeeds(inputs, { x: x(1, 2, 2), mask: new Tensor('float32', new Float32Array(4), [1, 2, 2]) }),
      ),
    ).toBe('DTYPE_MISMATCH');
    expect(
      codeOf(() =>
        validateFeeds(inputs, { x: new Tensor('float32', new Float32Array(12), [3, 2, 2]), mask: mask(1, 2, 2) }),
      ),
    ).toBe('SHAPE_MISMATCH');
    expect(
      codeOf(() =>
        validateFeeds(inputs, { x: new Tensor('float32', new Float32Array(16), [1, 4, 2, 2]), mask: mask(1, 2, 2) }),
      ),
    ).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => validateFeeds(inputs, { x: x(1, 2, 2), mask: mask(2, 2, 2) }))).toBe('SHAPE_MISMATCH');
  });

  it('reports expected and got shapes in the error', () => {
    try {
      validateFeeds(inputs, { x: new Tensor('float32', new Float32Array(16), [1, 4, 2, 2]), mask: mask(1, 2, 2) });
    } catch (e) {
      expect((e as Error).message).toBe('Input "x" expects shape [N, 3, H, W], got [1, 4, 2, 2]');
      return;
    }
    throw new Error('no error');
  });
});
