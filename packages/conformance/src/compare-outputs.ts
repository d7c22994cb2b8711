import type { Tensor } from '@polyinfer/core';
import { bfloat16ToNumber, float16ToNumber } from '@polyinfer/core';

/** onnx's backend test rule: numpy's assert_allclose with these tolerances for floats; integers, bools, strings exact. */
export const ONNX_RTOL = 1e-3;
export const ONNX_ATOL = 1e-7;

export type Comparison = { equal: true } | { equal: false; reason: string; maxDiff?: number };

function floatValues(t: Tensor): ArrayLike<number> {
  if (t.dtype === 'float16') return Array.from(t.data as Uint16Array, float16ToNumber);
  if (t.dtype === 'bfloat16') return Array.from(t.data as Uint16Array, bfloat16ToNumber);
  return t.data as Float32Array | Float64Array;
}

const FLOATS = new Set(['float16', 'bfloat16', 'float32', 'float64']);

/** Whether `actual` matches `expected` as onnx's runner decides: same dtype and shape, then values. */
export function compareTensors(expected: Tensor, actual: Tensor): Comparison {
  if (actual.dtype !== expected.dtype)
    return { equal: false, reason: `dtype ${actual.dtype}, expected ${expected.dtype}` };
  if (actual.dims.length !== expected.dims.length || actual.dims.some((d, i) => d !== expected.dims[i])) {
    return { equal: false, reason: `shape [${actual.dims.join(', ')}], expected [${expected.dims.join(', ')}]` };
  }
  if (FLOATS.has(expected.dtype)) {
    const want = floatValues(expected);
    const got = floatValues(actual);
    let maxDiff = 0;
    let bad = -1;
    for (let i = 0; i < want.length; i++) {
      const w = want[i] as number;
      const g = got[i] as number;
      if (Number.isNaN(w) && Number.isNaN(g)) continue;
      if (w === g) continue;
      const diff = Math.abs(g - w);
      // An infinity matches only the same infinity (the tolerance of an infinite expected value is infinite too).
      if (!Number.isFinite(w) || !(diff <= ONNX_ATOL + ONNX_RTOL * Math.abs(w))) {
        if (bad < 0) bad = i;
        maxDiff = Number.isNaN(diff) ? NaN : Math.max(maxDiff, diff);
      }
    }
    return bad < 0
      ? { equal: true }
      : { equal: false, reason: `element ${bad} is ${got[bad]}, expected ${want[bad]}`, maxDiff };
  }
  const want = expected.data as ArrayLike<unknown>;
  const got = actual.data as ArrayLike<unknown>;
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i])
      return { equal: false, reason: `element ${i} is ${String(got[i])}, expected ${String(want[i])}` };
  }
  return { equal: true };
}
