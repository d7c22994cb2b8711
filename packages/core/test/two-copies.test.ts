import { describe, expect, it, vi } from 'vitest';

// Two installed copies of @polyinfer/core in one app (a backend built against one, the app against another) are
// two module instances: classes differ, so only brands and codes can tell a polyinfer error or tensor.
async function loadTwoCopies() {
  const first = await import('@polyinfer/core');
  const firstTesting = await import('@polyinfer/core/testing');
  vi.resetModules();
  const second = await import('@polyinfer/core');
  return { first, firstTesting, second };
}

describe('two separately loaded copies of core', () => {
  it('are really separate module instances', async () => {
    const { first, second } = await loadTwoCopies();
    expect(first.Tensor).not.toBe(second.Tensor);
    expect(first.PolyinferError).not.toBe(second.PolyinferError);
  });

  it('a registry of one copy falls back from, and reports, the typed errors of a backend built on the other', async () => {
    const { firstTesting, second } = await loadTwoCopies();
    const registry = second.createRegistry();
    registry.register('mock', () =>
      firstTesting.createMockBackend({ devices: [{ name: 'gpu', unavailable: 'no adapter' }, { name: 'cpu' }] }),
    );
    const model = firstTesting.encodeMockModel(firstTesting.conformanceModels.add);
    const session = await registry.createSession(model, { backend: 'mock', devices: ['gpu', 'cpu'] });
    expect(session.device).toBe('cpu');
    expect(session.provenance.skipped).toEqual([
      { backend: 'mock', device: 'gpu', code: 'DEVICE_UNAVAILABLE', reason: 'no adapter' },
    ]);

    // Tensors of the second copy are fed to a session of the first, and come back as tensors to both.
    const t = (values: number[], dims: number[]) => new second.Tensor('float32', Float32Array.from(values), dims);
    const out = await session.run({ a: t([1, 2, 3, 4, 5, 6], [2, 3]), b: t([1, 1, 1, 1, 1, 1], [2, 3]) });
    expect(out.sum instanceof second.Tensor).toBe(true);
    expect(second.isTensor(out.sum)).toBe(true);
    expect(Array.from(out.sum?.data as Float32Array)).toEqual([2, 3, 4, 5, 6, 7]);

    // A bad feed is rejected by the first copy's validation and recognised by the second copy, by code.
    const error = await session.run({ a: t([1, 2, 3], [1, 3]), b: t([1, 2, 3], [1, 3]) }).catch((e: unknown) => e);
    expect(second.isPolyinferError(error, 'SHAPE_MISMATCH')).toBe(true);
    expect(error instanceof second.PolyinferError).toBe(true);
    expect(error instanceof second.ShapeMismatchError).toBe(false); // subclasses stay per copy: branch on `code`
    await session.dispose();
  });

  it('an object that only looks like a tensor or an error is neither', async () => {
    const { second } = await loadTwoCopies();
    expect(second.isTensor({ dtype: 'float32', dims: [1], data: new Float32Array(1) })).toBe(false);
    expect(second.isPolyinferError(Object.assign(new Error('x'), { code: 'SHAPE_MISMATCH' }))).toBe(false);
  });
});
