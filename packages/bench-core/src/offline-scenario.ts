import type { Feeds, TensorInfo } from '@polyinfer/core';
import { Tensor } from '@polyinfer/core';

export interface OfflineRun {
  /** Samples each call processes (the batch size). */
  samplesPerCall: number;
  /** Calls made in all. */
  calls: number;
  /** Calls in flight at once. */
  inFlight: number;
  wallMs: number;
  /** Samples per second. */
  throughput: number;
}

/** Offline (MLPerf LoadGen's name): every sample is there at the start; how fast can they all be processed? */
export async function measureOffline(
  run: () => Promise<unknown>,
  options: { calls: number; samplesPerCall: number; inFlight: number },
): Promise<OfflineRun> {
  let left = options.calls;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left--;
      await run();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.inFlight, options.calls) }, worker));
  const wallMs = performance.now() - start;
  return { ...options, wallMs, throughput: ((options.calls * options.samplesPerCall) / wallMs) * 1000 };
}

/**
 * Feeds of one sample stacked `size` times along the first dimension, or why that is not possible: every input's
 * first dimension must be dynamic in the model and 1 in the sample.
 */
export function batchedFeeds(inputs: readonly TensorInfo[], feeds: Feeds, size: number): Feeds | string {
  const batched: Feeds = {};
  for (const info of inputs) {
    const first = info.dims[0];
    if (typeof first === 'number' && first > 0)
      return `the first dimension of input '${info.name}' is fixed at ${first}`;
    const tensor = feeds[info.name];
    if (!tensor) return `no feed for input '${info.name}'`;
    if (tensor.dims[0] !== 1) return `input '${info.name}' is fed ${tensor.dims[0]} samples already`;
    if (tensor.dtype !== 'float32')
      return `input '${info.name}' is ${tensor.dtype}: batching stacks float32 inputs only`;
    const data = tensor.data as Float32Array;
    const stacked = new Float32Array(data.length * size);
    for (let i = 0; i < size; i++) stacked.set(data, i * data.length);
    batched[info.name] = new Tensor('float32', stacked, [size, ...tensor.dims.slice(1)]);
  }
  return batched;
}

/**
 * Whether every row of each batched output equals the single-sample output within `tolerance` of its range: a runtime
 * that batches wrongly (rows mixed up, padding leaking in) would otherwise look only faster.
 */
export function batchRowsMatch(
  single: Feeds,
  batched: Feeds,
  tolerance: number,
): { pass: boolean; maxRelativeDiff: number; problem?: string } {
  let worst = 0;
  for (const [name, one] of Object.entries(single)) {
    const many = batched[name];
    if (!many) return { pass: false, maxRelativeDiff: Number.NaN, problem: `batched run has no output '${name}'` };
    const a = one.data as Float32Array;
    const b = many.data as Float32Array;
    if (b.length % a.length !== 0 || many.dims.slice(1).join('x') !== one.dims.slice(1).join('x'))
      return {
        pass: false,
        maxRelativeDiff: Number.NaN,
        problem: `output '${name}' is [${many.dims.join(', ')}] batched against [${one.dims.join(', ')}] alone`,
      };
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of a) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const range = hi - lo || Math.abs(hi) || 1;
    for (let i = 0; i < b.length; i++)
      worst = Math.max(worst, Math.abs((b[i] as number) - (a[i % a.length] as number)) / range);
  }
  return { pass: worst <= tolerance, maxRelativeDiff: worst };
}
