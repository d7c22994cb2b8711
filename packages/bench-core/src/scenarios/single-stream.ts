import { measureSteadyState } from '../measure.js';
import type { SteadyFigures } from '../scenarios.js';
import type { Stability } from '../stability.js';
import { summarise } from '../statistics.js';
import type { LoadScenario } from './load-scenario.js';

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

/** One run at a time, in windows until they agree (perf_analyzer's stability rule): latency, and the capacity others read. */
export const singleStream: LoadScenario = {
  name: 'single-stream',
  after: [],
  async run(subject, settings) {
    const run = await measureSteadyState(subject.run, {
      windows: settings.stabilityWindows,
      tolerance: settings.stabilityTolerance,
      warmup: settings.warmup,
      windowMs: settings.windowMs,
      minCount: settings.minCount,
      maxDurationMs: settings.maxDurationMs,
      ...(subject.onWarm ? { onWarm: subject.onWarm } : {}),
    });
    subject.onSteadyDone?.(run.samples.length);
    return { steady: steadyFigures(run.samples, run.wallMs, run.complete, run.stability) };
  },
  metrics: [{ name: 'single-stream p50 ms', better: 'lower', of: (f) => f.steady?.p50 }],
};
