import { describe, expect, it } from 'vitest';
import { measureSteadyState } from '@polyinfer/core/bench';

describe('measureSteadyState', () => {
  it('calls onWarm once, after the warm-up runs and before the first timed one', async () => {
    const events: string[] = [];
    let runs = 0;
    const steady = await measureSteadyState(
      async () => {
        runs++;
        events.push(`run ${runs}`);
      },
      { warmup: 2, minDurationMs: 0, minCount: 3, maxDurationMs: 10_000, onWarm: () => events.push('warm') },
    );
    expect(events.slice(0, 4)).toEqual(['run 1', 'run 2', 'warm', 'run 3']);
    expect(events.filter((e) => e === 'warm')).toHaveLength(1);
    expect(steady.samples).toHaveLength(runs - 2);
  });
});
