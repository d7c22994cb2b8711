import { describe, expect, it } from 'vitest';
import { Float32BufferPool } from '@polyinfer/preprocess';

describe('Float32BufferPool', () => {
  it('hands a buffer given back out again, for the same size or a little larger, zero-filled when asked', () => {
    const pool = new Float32BufferPool();
    const first = pool.take(1000);
    expect(first).toHaveLength(1000);
    first.fill(7);
    pool.give(first);
    expect(pool.held).toBe(1);
    const again = pool.take(1000);
    expect(again.buffer).toBe(first.buffer);
    expect(again[999], 'not zeroed unless asked').toBe(7);
    pool.give(again);
    // A few more floats still fit the headroom; zeroed on request (padding relies on it).
    const wider = pool.take(1100, true);
    expect(wider.buffer).toBe(first.buffer);
    expect(wider).toHaveLength(1100);
    expect(wider.every((v) => v === 0)).toBe(true);
  });

  it('never hands out one buffer twice at once, and ignores arrays it did not make', () => {
    const pool = new Float32BufferPool();
    const a = pool.take(500);
    const b = pool.take(500);
    expect(b.buffer).not.toBe(a.buffer);
    pool.give(new Float32Array(500));
    expect(pool.held).toBe(0);
    pool.give(a);
    pool.give(a);
    expect(pool.held, 'a buffer given back twice is held once').toBe(1);
    expect(pool.take(500).buffer).toBe(a.buffer);
    expect(pool.take(500).buffer).not.toBe(a.buffer);
  });

  it('keeps at most `keep` buffers, the largest, and does not serve a small input from a much larger one', () => {
    const pool = new Float32BufferPool(2);
    const [small, medium, large] = [pool.take(100), pool.take(100_000), pool.take(1_000_000)];
    for (const view of [small, medium, large]) pool.give(view);
    expect(pool.held).toBe(2);
    expect(pool.take(90_000).buffer).toBe(medium.buffer);
    expect(pool.take(100).buffer, 'the small one was dropped, the large one is too large').not.toBe(large.buffer);
  });
});
