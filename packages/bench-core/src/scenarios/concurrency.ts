import type { ConcurrencyPoint } from '../measure.js';
import { measureConcurrency } from '../measure.js';
import type { LoadScenario } from './load-scenario.js';

/** Throughput with 1…N runs in flight (Triton perf_analyzer's concurrency sweep). */
export const concurrency: LoadScenario = {
  name: 'concurrency',
  after: [],
  async run(subject, settings) {
    const points: ConcurrencyPoint[] = [];
    for (const n of settings.concurrency) {
      points.push(
        await measureConcurrency(subject.run, n, {
          windows: settings.stabilityWindows,
          tolerance: settings.stabilityTolerance,
          windowMs: settings.concurrencyWindowMs,
          maxDurationMs: settings.maxDurationMs,
        }),
      );
    }
    return { concurrency: points };
  },
  metrics: [
    {
      name: 'concurrency best runs/s',
      better: 'higher',
      of: (f) => (f.concurrency?.length ? Math.max(...f.concurrency.map((p) => p.throughput)) : undefined),
    },
  ],
};
