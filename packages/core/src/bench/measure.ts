import { percentile } from './statistics.js';

export interface SteadyStateOptions {
  /** Untimed runs first (caches, JIT, arenas, shader compiles). */
  warmup: number;
  /** Keep measuring until both the minimum duration and the minimum count are reached… */
  minDurationMs: number;
  minCount: number;
  /** …but stop after this long even if the minimum count isn't reached (the summary then says so). */
  maxDurationMs: number;
  /** Called between the warm-up and the first timed run (where a caller starts its own counters, CPU time say). */
  onWarm?: () => void;
}

export interface SteadyState {
  samples: number[];
  wallMs: number;
  /** Whether minDuration and minCount were both met; percentiles of a short run are not quoted as steady state. */
  complete: boolean;
}

/**
 * Times `run` back to back after a warm-up. Each sample covers the whole call, reading the outputs back included
 * (the caller's `run` must touch them).
 */
export async function measureSteadyState(run: () => Promise<unknown>, options: SteadyStateOptions): Promise<SteadyState> {
  for (let i = 0; i < options.warmup; i++) await run();
  options.onWarm?.();
  const samples: number[] = [];
  const start = performance.now();
  for (;;) {
    const t0 = performance.now();
    await run();
    const t1 = performance.now();
    samples.push(t1 - t0);
    const elapsed = t1 - start;
    const complete = elapsed >= options.minDurationMs && samples.length >= options.minCount;
    if (complete || elapsed >= options.maxDurationMs) return { samples, wallMs: elapsed, complete };
  }
}

export interface ConcurrencyPoint {
  inFlight: number;
  completed: number;
  /** Completed runs per second. */
  throughput: number;
  p50: number;
}

/** Keeps `inFlight` runs going for `durationMs`; latency of each run and overall throughput. */
export async function measureConcurrency(run: () => Promise<unknown>, inFlight: number, durationMs: number): Promise<ConcurrencyPoint> {
  const latencies: number[] = [];
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - start < durationMs) {
      const t0 = performance.now();
      await run();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const wall = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return { inFlight, completed: latencies.length, throughput: (latencies.length / wall) * 1000, p50: percentile(latencies, 50) };
}
