import { describe, expect, it } from 'vitest';
import { LOAD_SCENARIOS, scenarioPlan } from '@polyinfer/bench-core';

describe('load scenarios as modules', () => {
  it('single-stream always runs first; each scenario after those it reads', () => {
    expect(scenarioPlan([]).map((s) => s.name)).toEqual(['single-stream']);
    expect(scenarioPlan(['server', 'offline', 'concurrency']).map((s) => s.name)).toEqual([
      'single-stream',
      'concurrency',
      'offline',
      'server',
    ]);
    for (const s of LOAD_SCENARIOS) {
      const plan = scenarioPlan(LOAD_SCENARIOS.map((x) => x.name)).map((x) => x.name);
      for (const dependency of s.after) expect(plan.indexOf(dependency)).toBeLessThan(plan.indexOf(s.name));
    }
  });

  it('each scenario brings the metrics a comparison reads and, where it has one, its report section', () => {
    expect(LOAD_SCENARIOS.flatMap((s) => s.metrics.map((m) => `${s.name}: ${m.name} (${m.better})`))).toEqual([
      'single-stream: single-stream p50 ms (lower)',
      'concurrency: concurrency best runs/s (higher)',
      'offline: offline samples/s (higher)',
      'offline: offline batched samples/s (higher)',
      'server: server max rate under bound /s (higher)',
    ]);
    const offline = LOAD_SCENARIOS.find((s) => s.name === 'offline');
    const row = {
      target: 'ort-node:cpu',
      figures: {
        offline: {
          unbatched: { calls: 4, samplesPerCall: 1, inFlight: 2, throughput: 40, wallMs: 100 },
          batchedUnavailable: 'static first dimension',
        },
      },
    };
    expect(offline?.reportSection?.([row])).toContain(
      '| ort-node:cpu | 2 | 40.0 | n/a: static first dimension |  |  |',
    );
    expect(offline?.reportSection?.([{ target: 'x', figures: {} }])).toEqual([]);
  });
});
