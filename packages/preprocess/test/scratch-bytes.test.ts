import { describe, expect, it } from 'vitest';
import { ScratchBytes } from '../src/index.js';

describe('ScratchBytes', () => {
  it('hands out the same array while it fits, and grows with headroom when it does not', () => {
    const scratch = new ScratchBytes();
    const first = scratch.take(100_000);
    first.fill(9);
    expect(first.length).toBe(100_000);
    const again = scratch.take(110_000);
    // A quarter of headroom: a slightly larger image still fits, as the last user left it.
    expect(again.buffer).toBe(first.buffer);
    expect(again[99_999]).toBe(9);
    const larger = scratch.take(1_000_000);
    expect(larger.buffer).not.toBe(first.buffer);
    expect(scratch.held).toBeGreaterThanOrEqual(1_250_000);
  });

  it('lets an array larger than it keeps go on trim', () => {
    const scratch = new ScratchBytes(1 << 20);
    scratch.take(500_000);
    scratch.trim();
    expect(scratch.held).toBeGreaterThan(0);
    scratch.take(4 << 20);
    scratch.trim();
    expect(scratch.held).toBe(0);
  });
});
