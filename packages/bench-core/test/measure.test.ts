import { describe, expect, it } from 'vitest';
import { measureConcurrency, measureSteadyState, stabilityOf } from '@polyinfer/bench-core';

const window = { windowMs: 5, windows: 3, tolerance: 0.1 };

describe('measureSteadyState', () => {
  it('calls onWarm once, after the warm-up runs and before the first timed one', async () => {
    const events: string[] = [];
    let runs = 0;
    const steady = await measureSteadyState(
      async () => {
        runs++;
        events.push(`run ${runs}`);
      },
      { ...window, warmup: 2, minCount: 3, maxDurationMs: 10_000, onWarm: () => events.push('warm') },
    );
    expect(events.slice(0, 4)).toEqual(['run 1', 'run 2', 'warm', 'run 3']);
    expect(events.filter((e) => e === 'warm')).toHaveLength(1);
    expect(steady.samples.length).toBeLessThanOrEqual(runs - 2);
  });

  it('reports a run whose speed keeps changing as unstable, with its spread, once the time is up', async () => {
    // Each run takes half as long again as the last: no three windows can agree.
    let delay = 1;
    const steady = await measureSteadyState(() => new Promise((resolve) => setTimeout(resolve, (delay *= 1.5))), {
      ...window,
      windowMs: 1,
      warmup: 0,
      minCount: 1,
      maxDurationMs: 300,
    });
    expect(steady.stability.stable).toBe(false);
    expect(steady.stability.spread).toBeGreaterThan(0.1);
    expect(steady.samples.length).toBe(steady.stability.windows.reduce((n, w) => n + w.count, 0));
  });
});

describe('stabilityOf (perf_analyzer: the last 3 windows within 10 % of their mean)', () => {
  const w = (throughput: number, p50: number) => ({ count: 10, throughput, p50 });

  it('is stable when throughput and p50 of the last windows agree, whatever came before', () => {
    expect(stabilityOf([w(10, 50), w(100, 10), w(104, 10.2), w(98, 9.9)], 3, 0.1)).toMatchObject({ stable: true });
  });

  it('is unstable when either figure strays, and says by how much', () => {
    const s = stabilityOf([w(100, 10), w(100, 10), w(100, 14)], 3, 0.1);
    expect(s.stable).toBe(false);
    expect(s.spread).toBeCloseTo((14 - 34 / 3) / (34 / 3), 6);
    expect(stabilityOf([w(100, 10), w(70, 10), w(100, 10)], 3, 0.1).stable).toBe(false);
  });

  it('needs the full number of windows, and never calls an empty window stable', () => {
    expect(stabilityOf([w(100, 10), w(100, 10)], 3, 0.1)).toMatchObject({ stable: false, spread: null });
    expect(stabilityOf([w(0, Number.NaN), w(0, Number.NaN), w(0, Number.NaN)], 3, 0.1)).toMatchObject({
      stable: false,
      spread: null,
    });
  });
});

describe('measureConcurrency', () => {
  it('ends when a run settles in microtasks only (a synchronous wasm run behind a promise starves every timer)', async () => {
    let x = 0;
    const run = async (): Promise<void> => {
      for (let i = 0; i < 2e4; i++) x += Math.sqrt(i);
    };
    const point = await measureConcurrency(run, 2, { ...window, windowMs: 20, maxDurationMs: 2_000 });
    expect(point.completed).toBeGreaterThan(0);
    expect(point.throughput).toBeGreaterThan(0);
    expect(x).toBeGreaterThan(0);
  });

  it('shows a backend that queues its runs as flat throughput and growing latency', async () => {
    let busy: Promise<unknown> = Promise.resolve();
    const queued = (): Promise<unknown> => (busy = busy.then(() => new Promise((resolve) => setTimeout(resolve, 4))));
    const options = { windows: 3, tolerance: 0.5, windowMs: 60, maxDurationMs: 3_000 };
    const one = await measureConcurrency(queued, 1, options);
    const four = await measureConcurrency(queued, 4, options);
    expect(four.throughput / one.throughput).toBeLessThan(1.5);
    expect(four.p50 / one.p50).toBeGreaterThan(2.5);
  });
});
