import { describe, expect, it } from 'vitest';
import { percentile, summarise } from '@polyinfer/bench-core';
import { characterErrorRate, editDistance, exactLinesInOrder, normaliseWhitespace } from '@polyinfer/bench-core';

describe('percentile (linear between closest ranks)', () => {
  // Hand-computed: sorted [1, 2, 3, 4, 10]; rank = p/100 × 4.
  const sorted = [1, 2, 3, 4, 10];
  it('matches hand-computed values', () => {
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 50)).toBe(3); // rank 2
    expect(percentile(sorted, 90)).toBeCloseTo(7.6, 10); // rank 3.6: 4 + 0.6 × 6
    expect(percentile(sorted, 95)).toBeCloseTo(8.8, 10); // rank 3.8: 4 + 0.8 × 6
    expect(percentile(sorted, 100)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarise gives min, percentiles, max, mean and sample stddev', () => {
    const s = summarise([4, 1, 10, 3, 2]);
    expect(s).toMatchObject({ count: 5, min: 1, p50: 3, max: 10, mean: 4 });
    // Sample variance: (9 + 4 + 1 + 0 + 36) / 4 = 12.5.
    expect(s.stddev).toBeCloseTo(Math.sqrt(12.5), 10);
    expect(s.p99).toBeCloseTo(4 + 0.96 * 6, 10);
  });
});

describe('text metrics', () => {
  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('naïve', 'naive')).toBe(1);
  });

  it('CER ignores how lines are split but counts lost spaces', () => {
    expect(normaliseWhitespace(' a\n b  c ')).toBe('a b c');
    expect(characterErrorRate('Cappuccino 3.80', 'Cappuccino\n3.80')).toBe(0);
    expect(characterErrorRate('Paidbycard', 'Paid by card')).toBeCloseTo(2 / 12, 10);
  });

  it('exact lines count only lines read whole and in order', () => {
    const reference = ['CORNER CAFE', 'Cappuccino 3.80', 'TOTAL 10.95'];
    expect(exactLinesInOrder(reference, reference)).toBe(3);
    // Split item and price, and a line read before the one it follows, do not count.
    expect(exactLinesInOrder(['CORNER CAFE', 'Cappuccino', '3.80', 'TOTAL 10.95'], reference)).toBe(2);
    expect(exactLinesInOrder(['TOTAL 10.95', 'CORNER CAFE', 'Cappuccino 3.80'], reference)).toBe(2);
  });
});
