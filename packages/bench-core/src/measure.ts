import { percentile } from './statistics.js';
import type { Stability, StabilityOptions, WindowFigure } from './stability.js';
import { stabilityOf, windowFigure } from './stability.js';

export interface SteadyStateOptions extends StabilityOptions {
  /** Untimed runs first (caches, JIT, arenas, shader compiles). */
  warmup: number;
  /** The stable windows together must hold at least this many runs (percentiles of three runs are not quoted). */
  minCount: number;
  /** Stop after this long even when the windows never agree (the result then says unstable, with the spread). */
  maxDurationMs: number;
  /** Called between the warm-up and the first timed run (where a caller starts its own counters, CPU time say). */
  onWarm?: () => void;
}

export interface SteadyState {
  /** Latencies of the last `windows` windows when they agreed, of every window otherwise. */
  samples: number[];
  /** The time those samples took. */
  wallMs: number;
  /** Whether the samples number at least minCount. */
  complete: boolean;
  stability: Stability;
}

/**
 * Single-stream: one run at a time, back to back, after a warm-up, measured in windows until the last few agree
 * (perf_analyzer's rule). Each sample covers the whole call, reading the outputs back included (the caller's `run`
 * must touch them).
 */
export async function measureSteadyState(
  run: () => Promise<unknown>,
  options: SteadyStateOptions,
): Promise<SteadyState> {
  for (let i = 0; i < options.warmup; i++) await run();
  options.onWarm?.();
  const windows: { samples: number[]; wallMs: number }[] = [];
  const figures: WindowFigure[] = [];
  const start = performance.now();
  for (;;) {
    const windowStart = performance.now();
    const samples: number[] = [];
    do {
      const t0 = performance.now();
      await run();
      samples.push(performance.now() - t0);
    } while (performance.now() - windowStart < options.windowMs);
    const wallMs = performance.now() - windowStart;
    windows.push({ samples, wallMs });
    figures.push(windowFigure(samples, wallMs));
    const last = windows.slice(-options.windows);
    const count = last.reduce((n, w) => n + w.samples.length, 0);
    const stability = stabilityOf(figures, options.windows, options.tolerance);
    const enough = windows.length >= options.windows && count >= options.minCount;
    if ((enough && stability.stable) || performance.now() - start >= options.maxDurationMs) {
      const counted = enough && stability.stable ? last : windows;
      const all = counted.flatMap((w) => w.samples);
      return {
        samples: all,
        wallMs: counted.reduce((t, w) => t + w.wallMs, 0),
        complete: all.length >= options.minCount,
        stability,
      };
    }
  }
}

export interface ConcurrencyPoint {
  inFlight: number;
  completed: number;
  /** Completed runs per second. */
  throughput: number;
  p50: number;
  stable: boolean;
  spread: number | null;
}

export interface ConcurrencyOptions extends StabilityOptions {
  maxDurationMs: number;
}

/**
 * Keeps `inFlight` runs going, measured in windows until the last few agree; throughput and median latency of the
 * runs that ended in those windows. A backend that queues runs shows flat throughput: that is the finding.
 */
export async function measureConcurrency(
  run: () => Promise<unknown>,
  inFlight: number,
  options: ConcurrencyOptions,
): Promise<ConcurrencyPoint> {
  const ends: { end: number; latency: number }[] = [];
  const start = performance.now();
  // Windows are closed by the runs as they end, never by a timer: a backend whose run settles in microtasks only
  // (a synchronous wasm run behind a promise) would starve a timer for good.
  const edges = [start];
  const figures: WindowFigure[] = [];
  let stability = stabilityOf(figures, options.windows, options.tolerance);
  let stop = false;
  const inWindow = (from: number, to: number): number[] =>
    ends.filter((e) => e.end >= from && e.end < to).map((e) => e.latency);
  const worker = async (): Promise<void> => {
    while (!stop) {
      const t0 = performance.now();
      await run();
      const t1 = performance.now();
      ends.push({ end: t1, latency: t1 - t0 });
      const from = edges[edges.length - 1] as number;
      if (stop || t1 - from < options.windowMs) continue;
      const to = t1 + 1e-6; // this run's end belongs to the window it closes
      edges.push(to);
      figures.push(windowFigure(inWindow(from, to), to - from));
      stability = stabilityOf(figures, options.windows, options.tolerance);
      stop = stability.stable || to - start >= options.maxDurationMs;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const last = edges[edges.length - 1] as number;
  const first = stability.stable ? (edges[edges.length - 1 - options.windows] as number) : start;
  const latencies = inWindow(first, last).sort((a, b) => a - b);
  return {
    inFlight,
    completed: latencies.length,
    throughput: (latencies.length / (last - first)) * 1000,
    p50: percentile(latencies, 50),
    stable: stability.stable,
    spread: stability.spread,
  };
}
