import { seededRandom } from '@polyinfer/core/testing';
import { percentile } from './statistics.js';

export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p99: number;
}

/** One offered rate of the `server` scenario (MLPerf LoadGen's name): Poisson arrivals, a FIFO queue, N workers. */
export interface ServerRatePoint {
  /** Requests per second the arrivals were drawn for. */
  offeredRate: number;
  issued: number;
  completed: number;
  /** Requests per second actually drawn (a Poisson count varies around the offered rate). */
  issuedRate: number;
  /**
   * Completed requests per second, over the time until the last request was taken up (at least the time arrivals
   * were drawn for): a backlog stretches it, the last run's own compute does not.
   */
  achievedRate: number;
  /** Arrival to completion. */
  latency: LatencyPercentiles;
  /** Arrival to the start of its run: waiting for a free worker. */
  queue: LatencyPercentiles;
  /** The run itself. */
  compute: LatencyPercentiles;
  wallMs: number;
}

export interface ServerRateOptions {
  rate: number;
  /** Arrivals are drawn for at least this long… */
  durationMs: number;
  /** …and until at least this many were issued, within maxDurationMs. */
  minRequests: number;
  maxDurationMs: number;
  /** Runs in flight at most; the rest wait in the queue. */
  workers: number;
  seed: number;
}

const percentiles = (values: number[]): LatencyPercentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
};

/** Exponential gaps with mean 1/rate from a seeded generator: the same arrival times on every run and platform. */
export function poissonArrivals(rate: number, seed: number): () => number {
  const random = seededRandom(seed);
  let t = 0;
  return () => {
    t += (-Math.log(1 - random()) / rate) * 1000;
    return t;
  };
}

/**
 * Offers `rate` requests per second as a Poisson process. Queue wait and compute are timed apart: the queue is this
 * function's (requests wait for one of `workers`), so a backend that queues internally shows its wait as compute at
 * workers > 1 — keep workers at 1 to see the whole queue here.
 */
export async function measureServerRate(
  run: () => Promise<unknown>,
  options: ServerRateOptions,
): Promise<ServerRatePoint> {
  const next = poissonArrivals(options.rate, options.seed);
  const issueFor = Math.min(
    Math.max(options.durationMs, (options.minRequests / options.rate) * 1000),
    options.maxDurationMs,
  );
  const pending: number[] = [];
  const queue: number[] = [];
  const compute: number[] = [];
  const latency: number[] = [];
  let issued = 0;
  let generating = true;
  const idle: (() => void)[] = [];
  const wakeAll = (): void => {
    for (const resume of idle.splice(0)) resume();
  };
  const start = performance.now();
  let lastEnd = start;
  let lastTaken = start;

  const worker = async (): Promise<void> => {
    for (;;) {
      const arrival = pending.shift();
      if (arrival === undefined) {
        if (!generating) return;
        await new Promise<void>((resolve) => idle.push(resolve));
        continue;
      }
      const t0 = performance.now();
      lastTaken = Math.max(lastTaken, t0);
      await run();
      const t1 = performance.now();
      queue.push(t0 - arrival);
      compute.push(t1 - t0);
      latency.push(t1 - arrival);
      lastEnd = Math.max(lastEnd, t1);
    }
  };
  const workers = Array.from({ length: options.workers }, () => worker());
  // Arrivals are due at absolute times; a late timer issues every arrival already due, stamped with its due time,
  // so the generator's own lateness counts as queue wait rather than disappearing.
  let due = next();
  while (due < issueFor) {
    const wait = start + due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (due < issueFor && start + due <= performance.now()) {
      pending.push(start + due);
      issued++;
      due = next();
    }
    wakeAll();
  }
  generating = false;
  wakeAll();
  await Promise.all(workers);
  const wallMs = Math.max(lastEnd - start, issueFor);
  const servedMs = Math.max(lastTaken - start, issueFor);
  return {
    offeredRate: options.rate,
    issued,
    issuedRate: (issued / issueFor) * 1000,
    completed: latency.length,
    achievedRate: (latency.length / servedMs) * 1000,
    latency: percentiles(latency),
    queue: percentiles(queue),
    compute: percentiles(compute),
    wallMs,
  };
}

export interface ServerSweepOptions extends Omit<ServerRateOptions, 'rate'> {
  /** Rates to offer, in requests per second, lowest first. */
  rates: number[];
  /** The p99 latency a rate must stay under to count (MLPerf's server latency bound). */
  latencyBoundMs: number;
}

export interface ServerSweep {
  latencyBoundMs: number;
  workers: number;
  points: ServerRatePoint[];
  /** The highest offered rate whose p99 stayed under the bound and whose runs kept up (achieved ≥ 80 % of issued). */
  maxRateUnderBound: number | null;
}

/**
 * Whether the runs fell behind the arrivals: the last request was taken up more than a quarter of the run late (a
 * backlog built up), and every higher rate would only build more.
 */
export const saturated = (point: ServerRatePoint): boolean => point.achievedRate < 0.8 * point.issuedRate;

/** Whether a rate was served: p99 under the bound, and the arrivals did not outrun the runs. */
export const rateHolds = (point: ServerRatePoint, latencyBoundMs: number): boolean =>
  point.latency.p99 <= latencyBoundMs && !saturated(point);

/**
 * Offers each rate in turn, lowest first, and stops after the first rate the runs could not keep up with. A rate
 * whose p99 only crossed the bound (a pause, a burst) does not stop the sweep: it builds no backlog.
 */
export async function sweepServerRates(run: () => Promise<unknown>, options: ServerSweepOptions): Promise<ServerSweep> {
  const points: ServerRatePoint[] = [];
  for (const [i, rate] of options.rates.entries()) {
    const point = await measureServerRate(run, { ...options, rate, seed: options.seed + i });
    points.push(point);
    if (saturated(point)) break;
  }
  const held = points.filter((p) => rateHolds(p, options.latencyBoundMs)).map((p) => p.offeredRate);
  return {
    latencyBoundMs: options.latencyBoundMs,
    workers: options.workers,
    points,
    maxRateUnderBound: held.length ? Math.max(...held) : null,
  };
}
