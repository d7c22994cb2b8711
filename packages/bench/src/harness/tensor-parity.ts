/** One output of a cell, as the parity check reads it. */
export interface OutputValues {
  name: string;
  dims: readonly number[];
  data: Float32Array;
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

const range = (data: Float32Array): number => {
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
export function tensorParity(cell: readonly OutputValues[], reference: readonly OutputValues[], referenceId: string, tolerance: number): TensorParityResult {
  const fail = (problem: string): TensorParityResult => ({ reference: referenceId, pass: false, tolerance, problem });
  if (cell.length === 0) return fail('the cell returned no outputs');
  const names = (outputs: readonly OutputValues[]): string => outputs.map((o) => o.name).sort().join(', ');
  if (names(cell) !== names(reference)) return fail(`outputs ${names(cell)} differ from the reference's ${names(reference)}`);
  let maxAbsDiff = 0;
  let relativeDiff = 0;
  for (const ref of reference) {
    const out = cell.find((o) => o.name === ref.name) as OutputValues;
    if (out.dims.join('x') !== ref.dims.join('x')) return fail(`output ${ref.name} has dims [${out.dims.join(', ')}], the reference [${ref.dims.join(', ')}]`);
    if (out.data.length !== ref.data.length) return fail(`output ${ref.name} has ${out.data.length} values, the reference ${ref.data.length}`);
    const signal = range(ref.data);
    if (!(signal > MIN_SIGNAL_RANGE)) return fail(`the reference's ${ref.name} is flat (range ${signal.toExponential(1)}): nothing to compare`);
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
