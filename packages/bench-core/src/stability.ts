import { percentile } from './statistics.js';

/** Stability as Triton's perf_analyzer defines it: the last `windows` measurement windows agree within `tolerance`. */
export interface StabilityOptions {
  /** Length of one measurement window. */
  windowMs: number;
  /** How many consecutive windows must agree (perf_analyzer: 3). */
  windows: number;
  /** How far each of those windows' throughput and p50 may stray from their mean, as a fraction (perf_analyzer: 0.1). */
  tolerance: number;
}

export interface WindowFigure {
  count: number;
  /** Completed runs per second in the window. */
  throughput: number;
  /** Median latency of the runs that ended in the window (NaN, null in JSON, when none did). */
  p50: number;
}

export interface Stability {
  stable: boolean;
  /**
   * The largest relative distance of a window's throughput or p50 from the mean of the last `windows` windows; null
   * when fewer windows were measured.
   */
  spread: number | null;
  tolerance: number;
  windows: WindowFigure[];
}

export function windowFigure(latencies: readonly number[], wallMs: number): WindowFigure {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    throughput: wallMs > 0 ? (sorted.length / wallMs) * 1000 : 0,
    p50: percentile(sorted, 50),
  };
}

/** Judges the last `count` windows: stable when throughput and p50 of each lie within `tolerance` of their mean. */
export function stabilityOf(windows: readonly WindowFigure[], count: number, tolerance: number): Stability {
  const last = windows.slice(-count);
  if (count < 1 || last.length < count) return { stable: false, spread: null, tolerance, windows: [...windows] };
  const spreadOf = (values: number[]): number => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return Math.max(...values.map((v) => Math.abs(v - mean) / mean));
  };
  const spread = Math.max(spreadOf(last.map((w) => w.throughput)), spreadOf(last.map((w) => w.p50)));
  // NaN (a window with no completed run, a zero mean) is never stable.
  const known = Number.isFinite(spread);
  return { stable: known && spread <= tolerance, spread: known ? spread : null, tolerance, windows: [...windows] };
}
