import type { Tensor } from '@polyinfer/core';
import { bfloat16ToNumber, float16ToNumber } from '@polyinfer/core';

/**
 * One output of a cell, as the parity check reads it: float outputs (float16 and bfloat16 decoded) as numbers,
 * compared within a tolerance; integer, bool and string outputs as they are, compared exactly.
 */
export interface OutputValues {
  name: string;
  dims: readonly number[];
  data: Float32Array | Float64Array;
  /** Set for outputs compared exactly (integers, bools, strings). */
  exact?: ArrayLike<number | bigint | string>;
}

export interface TensorParityResult {
  reference: string;
  pass: boolean;
  /** Largest absolute difference over every output. */
  maxAbsDiff?: number;
  /** The same, divided by each reference output's range (max − min), the largest over outputs. */
  relativeDiff?: number;
  tolerance: number;
  /** Why it failed, when it failed for something else than a difference above the tolerance. */
  problem?: string;
}

/** Below this range an output is flat: any backend returning a constant would "match" it. */
export const MIN_SIGNAL_RANGE = 1e-6;

const range = (data: Float32Array | Float64Array): number => {
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min;
};

/**
 * A cell's outputs against the reference's: the same output names, the same dims, a reference that carries signal,
 * and every value within `tolerance` × the reference output's range. Each of these can fail, and says why.
 */
export function tensorParity(
  cell: readonly OutputValues[],
  reference: readonly OutputValues[],
  referenceId: string,
  tolerance: number,
): TensorParityResult {
  const fail = (problem: string): TensorParityResult => ({ reference: referenceId, pass: false, tolerance, problem });
  if (cell.length === 0) return fail('the cell returned no outputs');
  const names = (outputs: readonly OutputValues[]): string =>
    outputs
      .map((o) => o.name)
      .sort()
      .join(', ');
  if (names(cell) !== names(reference))
    return fail(`outputs ${names(cell)} differ from the reference's ${names(reference)}`);
  let maxAbsDiff = 0;
  let relativeDiff = 0;
  for (const ref of reference) {
    const out = cell.find((o) => o.name === ref.name) as OutputValues;
    if (out.dims.join('x') !== ref.dims.join('x'))
      return fail(`output ${ref.name} has dims [${out.dims.join(', ')}], the reference [${ref.dims.join(', ')}]`);
    if (ref.exact) {
      const mine = out.exact ?? out.data;
      if (mine.length !== ref.exact.length)
        return fail(`output ${ref.name} has ${mine.length} values, the reference ${ref.exact.length}`);
      for (let i = 0; i < ref.exact.length; i++) {
        if (mine[i] !== ref.exact[i])
          return fail(
            `output ${ref.name} differs at element ${i}: ${String(mine[i])}, the reference ${String(ref.exact[i])} (compared exactly)`,
          );
      }
      continue;
    }
    if (out.data.length !== ref.data.length)
      return fail(`output ${ref.name} has ${out.data.length} values, the reference ${ref.data.length}`);
    const signal = range(ref.data);
    if (!(signal > MIN_SIGNAL_RANGE))
      return fail(`the reference's ${ref.name} is flat (range ${signal.toExponential(1)}): nothing to compare`);
    let diff = 0;
    for (let i = 0; i < ref.data.length; i++) {
      const d = Math.abs((out.data[i] as number) - (ref.data[i] as number));
      // NaN anywhere is a difference, not a pass (NaN > x is false).
      if (Number.isNaN(d)) diff = Infinity;
      else if (d > diff) diff = d;
    }
    maxAbsDiff = Math.max(maxAbsDiff, diff);
    relativeDiff = Math.max(relativeDiff, diff / signal);
  }
  return { reference: referenceId, pass: relativeDiff <= tolerance, maxAbsDiff, relativeDiff, tolerance };
}

const FLOATS = new Set(['float16', 'bfloat16', 'float32', 'float64']);

/** A saved output as the parity check compares it. */
export function outputValues(name: string, tensor: Tensor): OutputValues {
  const { dtype, dims } = tensor;
  if (dtype === 'float32' || dtype === 'float64')
    return { name, dims, data: tensor.data as Float32Array | Float64Array };
  if (FLOATS.has(dtype))
    return {
      name,
      dims,
      data: Float64Array.from(tensor.data as Uint16Array, dtype === 'float16' ? float16ToNumber : bfloat16ToNumber),
    };
  return { name, dims, data: new Float64Array(0), exact: tensor.data as ArrayLike<number | bigint | string> };
}
