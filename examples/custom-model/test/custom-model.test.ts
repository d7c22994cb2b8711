import { describe, expect, it } from 'vitest';
import { classify, testCard } from '../src/custom-model.js';

describe('custom-model example', () => {
  it('classifies its own test cards by colour, with probabilities and timings', async () => {
    for (const [rgb, label] of [
      [[220, 30, 30], 'red'],
      [[20, 180, 40], 'green'],
      [[30, 60, 200], 'blue'],
    ] as const) {
      const { top, timings } = await classify(await testCard([...rgb]));
      expect(top[0]?.label).toBe(label);
      expect(top[0]?.score).toBeGreaterThan(0.9);
      expect(top.reduce((sum, c) => sum + c.score, 0)).toBeCloseTo(1, 5);
      expect(timings.inference).toBeGreaterThan(0);
    }
  });
});
