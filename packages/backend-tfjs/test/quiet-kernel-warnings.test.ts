import { afterEach, describe, expect, it, vi } from 'vitest';
import { withoutKernelReregistrationWarnings } from '../src/quiet-kernel-warnings.js';

describe('loading a native binding', () => {
  afterEach(() => vi.restoreAllMocks());

  it("holds back tfjs-core's kernel re-registration lines, passes other warnings, and restores console.warn", async () => {
    const seen: unknown[][] = [];
    const original = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void seen.push(args));
    const patched = console.warn;
    const result = await withoutKernelReregistrationWarnings(async () => {
      console.warn("The kernel 'Conv2D' for backend 'tensorflow' is already registered");
      console.warn('something else went wrong');
      return 42;
    });
    expect(result).toBe(42);
    expect(seen).toEqual([['something else went wrong']]);
    expect(console.warn).toBe(patched);
    expect(original).toHaveBeenCalledTimes(1);
  });

  it('restores console.warn when the load fails', async () => {
    const before = console.warn;
    await expect(
      withoutKernelReregistrationWarnings(async () => Promise.reject(new Error('no addon'))),
    ).rejects.toThrow('no addon');
    expect(console.warn).toBe(before);
  });
});
