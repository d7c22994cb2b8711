import type { ConcurrencyPoint } from './measure.js';
import { measureConcurrency, measureSteadyState } from './measure.js';
import type { OfflineRun } from './offline-scenario.js';
import { measureOffline } from './offline-scenario.js';
import type { ServerSweep } from './server-scenario.js';
import { sweepServerRates } from './server-scenario.js';
import type { Stability } from './stability.js';
import type { Summary } from './statistics.js';
import { summarise } from './statistics.js';

/** The load scenarios, named as in MLPerf LoadGen (and the concurrency sweep of Triton's perf_analyzer). */
export const SCENARIOS = ['single-stream', 'concurrency', 'server', 'offline'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioSettings {
  /** single-stream always runs: parity, capacity and the server scenario's default bound come from it. */
  scenarios: ScenarioName[];
  warmup: number;
  windowMs: number;
  stabilityWindows: number;
  stabilityTolerance: number;
  minCount: number;
  maxDurationMs: number;
  /** In-flight counts for the concurrency sweep. */
  concurrency: number[];
  concurrencyWindowMs: number;
  server: {
    /** Requests per second to offer; when absent, these fractions of the measured single-stream throughput × workers. */
    rates?: number[];
    loadFractions: number[];
    durationMs: number;
    minRequests: number;
    maxDurationMs: number;
    workers: number;
    /** p99 bound; when absent, `boundFactor` × the single-stream p50, but at least `minBoundMs`. */
    latencyBoundMs?: number;
    boundFactor: number;
    /** Timers wake a millisecond or more late: a bound tighter than that measures the timer, not the model. */
    minBoundMs: number;
    seed: number;
  };
  offline: { samples: number; batchSize: number };
}

export type SteadyFigures = Summary & {
  throughput: number;
  complete: boolean;
  wallMs: number;
  stable: boolean;
  spread: number | null;
  windows: number;
};

export interface OfflineFigures {
  unbatched: OfflineRun;
  /** With samples stacked along a dynamic first dimension; absent when `batchedUnavailable` says why. */
  batched?: OfflineRun;
  batchedUnavailable?: string;
  /** Every row of the batched outputs against the one-sample outputs. */
  batchParity?: { pass: boolean; maxRelativeDiff: number; problem?: string };
}

export interface ScenarioFigures {
  steady: SteadyFigures;
  concurrency?: ConcurrencyPoint[];
  server?: ServerSweep & { boundSource: string };
  offline?: OfflineFigures;
}

export interface ScenarioSubject {
  /** One sample: the call the scenarios time (it must read its outputs back). */
  run: () => Promise<unknown>;
  /** Runs `size` samples in one call, or says why the subject cannot batch. */
  batch?: (size: number) => Promise<{ run: () => Promise<unknown>; parity?: OfflineFigures['batchParity'] } | string>;
  /** Between warm-up and the first timed single-stream run, and after the last (CPU counters, say). */
  onWarm?: () => void;
  onSteadyDone?: (samples: number) => void;
}

const twoDigits = (x: number): number => Number(x.toPrecision(2));

function steadyFigures(samples: number[], wallMs: number, complete: boolean, stability: Stability): SteadyFigures {
  return {
    ...summarise(samples),
    throughput: (samples.length / wallMs) * 1000,
    complete,
    wallMs,
    stable: stability.stable,
    spread: stability.spread,
    windows: stability.windows.length,
  };
}

/** Runs the asked-for scenarios on one subject, in a fixed order: single-stream, concurrency, offline, server. */
export async function runScenarios(subject: ScenarioSubject, settings: ScenarioSettings): Promise<ScenarioFigures> {
  const stabilityOptions = { windows: settings.stabilityWindows, tolerance: settings.stabilityTolerance };
  const steadyRun = await measureSteadyState(subject.run, {
    ...stabilityOptions,
    warmup: settings.warmup,
    windowMs: settings.windowMs,
    minCount: settings.minCount,
    maxDurationMs: settings.maxDurationMs,
    ...(subject.onWarm ? { onWarm: subject.onWarm } : {}),
  });
  subject.onSteadyDone?.(steadyRun.samples.length);
  const figures: ScenarioFigures = {
    steady: steadyFigures(steadyRun.samples, steadyRun.wallMs, steadyRun.complete, steadyRun.stability),
  };
  const wants = (s: ScenarioName): boolean => settings.scenarios.includes(s);

  if (wants('concurrency')) {
    figures.concurrency = [];
    for (const n of settings.concurrency)
      figures.concurrency.push(
        await measureConcurrency(subject.run, n, {
          ...stabilityOptions,
          windowMs: settings.concurrencyWindowMs,
          maxDurationMs: settings.maxDurationMs,
        }),
      );
  }

  if (wants('offline')) {
    // As many in flight as served best in the sweep (one when it did not run): offline asks for the maximum.
    const inFlight =
      figures.concurrency?.reduce((best, p) => (p.throughput > best.throughput ? p : best)).inFlight ?? 1;
    const { samples, batchSize } = settings.offline;
    const offline: OfflineFigures = {
      unbatched: await measureOffline(subject.run, { calls: samples, samplesPerCall: 1, inFlight }),
    };
    const batch = subject.batch ? await subject.batch(batchSize) : 'this subject does not batch';
    if (typeof batch === 'string') offline.batchedUnavailable = batch;
    else {
      offline.batched = await measureOffline(batch.run, {
        calls: Math.max(1, Math.round(samples / batchSize)),
        samplesPerCall: batchSize,
        inFlight,
      });
      if (batch.parity) offline.batchParity = batch.parity;
    }
    figures.offline = offline;
  }

  if (wants('server')) {
    const s = settings.server;
    const capacity = Math.max(
      figures.steady.throughput,
      ...(figures.concurrency ?? []).filter((p) => p.inFlight <= s.workers).map((p) => p.throughput),
    );
    const rates = s.rates ?? s.loadFractions.map((f) => twoDigits(f * capacity));
    const derived = twoDigits(s.boundFactor * figures.steady.p50);
    const latencyBoundMs = s.latencyBoundMs ?? Math.max(derived, s.minBoundMs);
    const boundSource =
      s.latencyBoundMs !== undefined
        ? 'given'
        : derived >= s.minBoundMs
          ? `${s.boundFactor} × single-stream p50`
          : `the ${s.minBoundMs} ms floor (${s.boundFactor} × p50 is ${derived} ms)`;
    const sweep = await sweepServerRates(subject.run, {
      rates,
      latencyBoundMs,
      durationMs: s.durationMs,
      minRequests: s.minRequests,
      maxDurationMs: s.maxDurationMs,
      workers: s.workers,
      seed: s.seed,
    });
    figures.server = { ...sweep, boundSource };
  }
  return figures;
}

/**
 * Settings for a subject that cycles through a set of inputs of unequal cost (the OCR pipeline over a folder of
 * images): every input at least once in the timed runs, and time for three passes over the set (at `msPerInput`, the
 * first pass's mean) before giving up on stability — a cell cut short would time a different subset than the cell it
 * is compared with.
 */
export function inputSetSettings(settings: ScenarioSettings, inputs: number, msPerInput: number): ScenarioSettings {
  return {
    ...settings,
    minCount: Math.max(settings.minCount, inputs),
    maxDurationMs: Math.max(settings.maxDurationMs, 3 * msPerInput * inputs),
  };
}
