import { describe, expect, it } from 'vitest';
import { Tensor } from '@polyinfer/core';
import { AngleDecoder, softmax, topK, TopKDecoder } from '@polyinfer/models';

describe('AngleDecoder', () => {
  it('picks the likelier label per line', () => {
    const out = new AngleDecoder().decode(
      { p: new Tensor('float32', Float32Array.from([0.9, 0.1, 0.2, 0.8]), [2, 2]) },
      { count: 2 },
    );
    expect(out).toEqual([
      { label: '0', score: expect.closeTo(0.9, 6) },
      { label: '180', score: expect.closeTo(0.8, 6) },
    ]);
  });

  it('averages the windows of one line', () => {
    // Line 0 read from three windows: (0.6+0.2+0.1)/3 for "0", (0.4+0.8+0.9)/3 = 0.7 for "180"; line 1 from one.
    const p = Float32Array.from([0.6, 0.4, 0.2, 0.8, 0.1, 0.9, 0.95, 0.05]);
    const out = new AngleDecoder().decode({ p: new Tensor('float32', p, [4, 2]) }, { count: 2, owners: [0, 0, 0, 1] });
    expect(out[0]).toEqual({ label: '180', score: expect.closeTo(0.7, 6) });
    expect(out[1]).toEqual({ label: '0', score: expect.closeTo(0.95, 6) });
  });
});

describe('topK', () => {
  it('orders classes by score, best first, with labels', () => {
    expect(topK(Float32Array.from([0.1, 0.5, 0.3, 0.1]), { k: 3, labels: ['cat', 'dog', 'fox', 'owl'] })).toEqual([
      { index: 1, label: 'dog', score: 0.5 },
      { index: 2, label: 'fox', score: expect.closeTo(0.3, 6) },
      { index: 0, label: 'cat', score: expect.closeTo(0.1, 6) },
    ]);
  });

  it('softmax of logits sums to 1 and keeps the order', () => {
    const s = softmax(Float32Array.from([1, 2, 3]));
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(s[2]).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
  });

  it('TopKDecoder decodes every row of a batch', () => {
    const out = new TopKDecoder({ k: 1 }).decode({ y: new Tensor('float32', Float32Array.from([0, 1, 1, 0]), [2, 2]) });
    expect(out.map((row) => row[0]!.index)).toEqual([1, 0]);
  });
});
