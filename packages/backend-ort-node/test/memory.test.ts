import { describe, expect, it } from 'vitest';
import { buildOnnxModel, Tensor } from '@polyinfer/core';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';

// A conv layer on a 3×128×128 input: a leaked output (192 KiB each) would add ~190 MB over 1,000 runs.
const model = buildOnnxModel({
  inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 128, 128] }],
  outputs: [{ name: 'y', dtype: 'float32', dims: [1, 3, 128, 128] }],
  initializers: [{ name: 'w', dtype: 'float32', dims: [3, 3, 3, 3], data: new Float32Array(81).fill(0.1) }],
  nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attributes: { pads: [1, 1, 1, 1] } }],
});

describe('ort-node memory', () => {
  it('1,000 runs do not grow memory', async () => {
    const backend = await createOrtNodeBackend();
    const session = await backend.createSession(model, { device: 'cpu', intraOpThreads: 1 });
    const input = new Tensor('float32', new Float32Array(3 * 128 * 128).fill(1), [1, 3, 128, 128]);
    const runs = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await session.run({ x: input });
    };
    const settle = (): NodeJS.MemoryUsage => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage();
    };
    await runs(500); // warm-up: arenas and JIT reach their steady size
    const before = settle();
    await runs(1000);
    const after = settle();
    await session.dispose();
    // Output buffers are freed by finalizers, so a few dozen MB come and go between samples; a leak would be ~190 MB.
    expect(after.rss - before.rss).toBeLessThan(40 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(40 * 1024 * 1024);
  });
});
