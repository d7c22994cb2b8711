import type { ConcurrencyPoint } from './measure.js';
import type { OfflineRun } from './offline-scenario.js';
import type { ServerSweep } from './server-scenario.js';
import type { Summary } from './statistics.js';
import { scenarioPlan } from './scenarios/load-scenarios.js';

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

/**
 * Runs the asked-for scenarios on one subject: single-stream always, then each asked one in LOAD_SCENARIOS' order
 * (every scenario after those whose figures it reads).
 */
export async function runScenarios(subject: ScenarioSubject, settings: ScenarioSettings): Promise<ScenarioFigures> {
  const figures: Partial<ScenarioFigures> = {};
  for (const scenario of scenarioPlan(settings.scenarios))
    Object.assign(figures, await scenario.run(subject, settings, figures));
  return figures as ScenarioFigures;
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
