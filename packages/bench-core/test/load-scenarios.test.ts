import { describe, expect, it } from 'vitest';
import { Tensor } from '@polyinfer/core';
import type { ScenarioSettings } from '@polyinfer/bench-core';
import {
  batchedFeeds,
  batchRowsMatch,
  inputSetSettings,
  measureOffline,
  measureServerRate,
  poissonArrivals,
  rateHolds,
  runScenarios,
  sweepServerRates,
} from '@polyinfer/bench-core';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('server scenario (Poisson arrivals)', () => {
  it('draws the same arrivals for a seed, with mean gap 1/rate', () => {
    const a = poissonArrivals(200, 7);
    const b = poissonArrivals(200, 7);
    const times = Array.from({ length: 2000 }, () => a());
    expect(Array.from({ length: 2000 }, () => b())).toEqual(times);
    const meanGap = (times[1999] as number) / 2000;
    expect(meanGap).toBeGreaterThan(4.5);
    expect(meanGap).toBeLessThan(5.5);
  });

  it('times queue wait and compute apart; a light load holds, a rate above the capacity does not', async () => {
    // One worker, 5 ms per run: capacity 200/s.
    const run = () => sleep(5);
    const light = await measureServerRate(run, {
      rate: 20,
      durationMs: 600,
      minRequests: 10,
      maxDurationMs: 5_000,
      workers: 1,
      seed: 1,
    });
    expect(light.completed).toBe(light.issued);
    expect(light.compute.p50).toBeGreaterThanOrEqual(4.5);
    const heavy = await measureServerRate(run, {
      rate: 600,
      durationMs: 500,
      minRequests: 10,
      maxDurationMs: 5_000,
      workers: 1,
      seed: 1,
    });
    // Arrivals outrun the runs: the backlog is queue wait, and the rate achieved falls short of the rate drawn.
    expect(heavy.queue.p99).toBeGreaterThan(5 * heavy.compute.p99);
    expect(heavy.achievedRate).toBeLessThan(0.8 * heavy.issuedRate);
    expect(rateHolds(heavy, 1_000)).toBe(false);
  });

  it('goes on past a rate that only crossed the bound, and finds none under a bound shorter than a run', async () => {
    const sweep = await sweepServerRates(() => sleep(5), {
      rates: [10, 20],
      latencyBoundMs: 3,
      durationMs: 300,
      minRequests: 3,
      maxDurationMs: 3_000,
      workers: 1,
      seed: 5,
    });
    expect(sweep.points.map((p) => p.offeredRate)).toEqual([10, 20]);
    expect(sweep.maxRateUnderBound).toBeNull();
  });

  it('sweeps rates, stops after the first the runs cannot keep up with, and names the highest under the bound', async () => {
    const sweep = await sweepServerRates(() => sleep(5), {
      rates: [10, 20, 1000, 2000],
      latencyBoundMs: 200,
      durationMs: 400,
      minRequests: 5,
      maxDurationMs: 3_000,
      workers: 1,
      seed: 3,
    });
    expect(sweep.points.map((p) => p.offeredRate)).toEqual([10, 20, 1000]);
    expect(sweep.maxRateUnderBound).toBe(20);
  });
});

describe('offline scenario and batching', () => {
  it('processes every sample with the runs in flight given', async () => {
    let calls = 0;
    const offline = await measureOffline(async () => void calls++, { calls: 12, samplesPerCall: 4, inFlight: 3 });
    expect(calls).toBe(12);
    expect(offline.throughput).toBeGreaterThan(0);
  });

  it('stacks a sample along a dynamic first dimension, and says why it cannot where the dimension is fixed', () => {
    const x = new Tensor('float32', new Float32Array([1, 2, 3]), [1, 3]);
    const stacked = batchedFeeds([{ name: 'x', dtype: 'float32', dims: ['N', 3] }], { x }, 4);
    expect(typeof stacked).toBe('object');
    expect((stacked as Record<string, Tensor>).x?.dims).toEqual([4, 3]);
    expect(Array.from((stacked as Record<string, Tensor>).x?.data as Float32Array)).toEqual([
      1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3,
    ]);
    expect(batchedFeeds([{ name: 'x', dtype: 'float32', dims: [1, 3] }], { x }, 4)).toBe(
      "the first dimension of input 'x' is fixed at 1",
    );
  });

  it('fails a batched output whose rows differ from the one-sample output', () => {
    const single = { y: new Tensor('float32', new Float32Array([0, 1, 2]), [1, 3]) };
    const good = { y: new Tensor('float32', new Float32Array([0, 1, 2, 0, 1, 2]), [2, 3]) };
    const mixed = { y: new Tensor('float32', new Float32Array([0, 1, 2, 2, 1, 0]), [2, 3]) };
    expect(batchRowsMatch(single, good, 1e-4)).toEqual({ pass: true, maxRelativeDiff: 0 });
    expect(batchRowsMatch(single, mixed, 1e-4)).toMatchObject({ pass: false, maxRelativeDiff: 1 });
    expect(batchRowsMatch(single, { y: new Tensor('float32', new Float32Array(8), [2, 4]) }, 1e-4).pass).toBe(false);
  });
});

describe('inputSetSettings', () => {
  it('asks for every input once and allows three passes over the set, never less than the settings gave', () => {
    const base = { minCount: 5, maxDurationMs: 8_000 } as ScenarioSettings;
    expect(inputSetSettings(base, 44, 300)).toMatchObject({ minCount: 44, maxDurationMs: 39_600 });
    expect(inputSetSettings(base, 2, 100)).toMatchObject({ minCount: 5, maxDurationMs: 8_000 });
  });
});

describe('runScenarios', () => {
  it('runs the asked-for scenarios on one subject and derives the server bound from single-stream', async () => {
    const settings: ScenarioSettings = {
      scenarios: ['single-stream', 'concurrency', 'server', 'offline'],
      warmup: 1,
      windowMs: 20,
      stabilityWindows: 3,
      stabilityTolerance: 0.5,
      minCount: 3,
      maxDurationMs: 1_000,
      concurrency: [1, 2],
      concurrencyWindowMs: 20,
      server: {
        loadFractions: [0.25, 0.5],
        durationMs: 200,
        minRequests: 5,
        maxDurationMs: 2_000,
        workers: 1,
        boundFactor: 4,
        minBoundMs: 10,
        seed: 1,
      },
      offline: { samples: 8, batchSize: 4 },
    };
    const figures = await runScenarios(
      { run: () => sleep(3), batch: async () => 'this subject does not batch' },
      settings,
    );
    expect(figures.concurrency?.map((p) => p.inFlight)).toEqual([1, 2]);
    expect(figures.offline).toMatchObject({
      unbatched: { calls: 8 },
      batchedUnavailable: 'this subject does not batch',
    });
    expect(figures.server?.points.length).toBeGreaterThanOrEqual(1);
    expect(figures.server?.latencyBoundMs).toBeGreaterThanOrEqual(10);
    expect(figures.server?.boundSource).toMatch(/single-stream p50|floor/);
  });
});
