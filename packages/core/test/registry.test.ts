import { describe, expect, it, vi } from 'vitest';
import type { DeviceAttempt } from '@polyinfer/core';
import { createRegistry, isPolyinferError, NoBackendAvailableError } from '@polyinfer/core';
import { conformanceModels, createMockBackend, encodeMockModel } from '@polyinfer/core/testing';

const model = encodeMockModel(conformanceModels.add);
const gpuBackend = (): ReturnType<typeof createMockBackend> =>
  createMockBackend({
    name: 'ort-node',
    devices: [
      { name: 'tensorrt', unavailable: 'TensorRT provider library not installed' },
      { name: 'cuda', unavailable: 'CUDA provider library not installed' },
      { name: 'cpu' },
    ],
    defaultDevices: ['cpu'],
  });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('BackendRegistry', () => {
  it('falls back along the device chain and records why each device was skipped', async () => {
    const seen: DeviceAttempt[] = [];
    const registry = createRegistry({ onFallback: (a) => seen.push(a) });
    registry.register('ort-node', gpuBackend);
    const session = await registry.createSession(model, { backend: 'ort-node', devices: ['tensorrt', 'cuda', 'cpu'] });
    expect(session.device).toBe('cpu');
    expect(session.provenance.requested).toEqual(['ort-node:tensorrt', 'ort-node:cuda', 'ort-node:cpu']);
    expect(session.provenance.skipped).toEqual([
      {
        backend: 'ort-node',
        device: 'tensorrt',
        code: 'DEVICE_UNAVAILABLE',
        reason: 'TensorRT provider library not installed',
      },
      {
        backend: 'ort-node',
        device: 'cuda',
        code: 'DEVICE_UNAVAILABLE',
        reason: 'CUDA provider library not installed',
      },
    ]);
    expect(seen).toEqual(session.provenance.skipped);
  });

  it('in strict mode a skipped device is an error carrying its reason', async () => {
    const registry = createRegistry();
    registry.register('ort-node', gpuBackend);
    const error = await rejection(
      registry.createSession(model, { backend: 'ort-node', devices: ['cuda', 'cpu'], strict: true }),
    );
    expect(isPolyinferError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toBe('ort-node:cuda is unavailable: CUDA provider library not installed');
  });

  it('lists every backend/device tried when nothing can run', async () => {
    const registry = createRegistry();
    registry.register(
      'a',
      () => createMockBackend({ name: 'a', devices: [{ name: 'gpu', unavailable: 'no adapter' }] }),
      { priority: 2 },
    );
    registry.register('b', () => {
      throw new Error('native module not installed');
    });
    const error = await rejection(registry.createSession(model));
    expect(error).toBeInstanceOf(NoBackendAvailableError);
    expect((error as NoBackendAvailableError).attempts).toEqual([
      { backend: 'a', device: 'gpu', code: 'DEVICE_UNAVAILABLE', reason: 'no adapter' },
      { backend: 'b', device: '*', code: 'BACKEND_UNAVAILABLE', reason: 'native module not installed' },
    ]);
    expect((error as Error).message).toContain('a:gpu: no adapter');
    expect((error as Error).message).toContain('b:*: native module not installed');
  });

  it('uses the highest-priority backend that works when none is named', async () => {
    const registry = createRegistry();
    registry.register('low', () => createMockBackend({ name: 'low' }), { priority: 1 });
    registry.register('high', () => createMockBackend({ name: 'high' }), { priority: 10 });
    expect(registry.names).toEqual(['high', 'low']);
    expect((await registry.createSession(model)).backend).toBe('high');
  });

  it('shares one init between concurrent callers', async () => {
    const registry = createRegistry();
    const factory = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 10));
      return createMockBackend();
    });
    registry.register('mock', factory);
    const [a, b] = await Promise.all([registry.get('mock'), registry.get('mock')]);
    expect(a).toBe(b);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('does not remember a failed init: a later call tries again', async () => {
    const registry = createRegistry();
    let calls = 0;
    registry.register('flaky', () => {
      calls += 1;
      if (calls === 1) throw new Error('first load failed');
      return createMockBackend({ name: 'flaky' });
    });
    const error = await rejection(registry.get('flaky'));
    expect(isPolyinferError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((await registry.get('flaky')).name).toBe('flaky');
    expect(calls).toBe(2);
  });

  it('names unknown backends and devices in config errors', async () => {
    const registry = createRegistry();
    registry.register('ort-node', gpuBackend);
    const unknownBackend = await rejection(registry.createSession(model, { backend: 'onnx' }));
    expect(isPolyinferError(unknownBackend, 'UNKNOWN_BACKEND')).toBe(true);
    expect((unknownBackend as Error).message).toContain('registered: ort-node');
    const unknownDevice = await rejection(registry.createSession(model, { backend: 'ort-node', devices: ['gpu'] }));
    expect(isPolyinferError(unknownDevice, 'UNKNOWN_DEVICE')).toBe(true);
    expect((unknownDevice as Error).message).toContain('tensorrt, cuda, cpu');
  });

  it('does not fall back from a model error', async () => {
    const registry = createRegistry();
    registry.register('ort-node', gpuBackend);
    const error = await rejection(
      registry.createSession(new TextEncoder().encode('junk'), { backend: 'ort-node', devices: ['cpu'] }),
    );
    expect(isPolyinferError(error, 'MODEL_LOAD_FAILED')).toBe(true);
  });

  it('reports every backend and device with its availability', async () => {
    const registry = createRegistry();
    registry.register('ort-node', gpuBackend);
    registry.register('broken', () => Promise.reject(new Error('not installed')));
    const report = await registry.report();
    expect(report[0]?.devices.map((d) => [d.device, d.available, d.reason])).toEqual([
      ['tensorrt', false, 'TensorRT provider library not installed'],
      ['cuda', false, 'CUDA provider library not installed'],
      ['cpu', true, ''],
    ]);
    expect(report[1]).toMatchObject({ backend: 'broken', available: false, reason: 'not installed' });
  });
});

describe('BackendRegistry config errors without a named backend', () => {
  it('a device no registered backend has is UNKNOWN_DEVICE, listing the devices there are', async () => {
    const registry = createRegistry();
    registry.register('ort-node', gpuBackend);
    registry.register('other', () => createMockBackend({ name: 'other', devices: [{ name: 'wasm' }] }));
    const error = await rejection(registry.createSession(model, { devices: ['gpu'] }));
    expect(isPolyinferError(error, 'UNKNOWN_DEVICE')).toBe(true);
    expect((error as Error).message).toContain('tensorrt, cuda, cpu, wasm');
  });

  it('a device only some backends have is used where it exists', async () => {
    const registry = createRegistry();
    registry.register('ort-node', gpuBackend, { priority: 5 });
    registry.register('other', () => createMockBackend({ name: 'other', devices: [{ name: 'wasm' }] }));
    const session = await registry.createSession(model, { devices: ['wasm'] });
    expect(session.backend).toBe('other');
    expect(session.provenance.skipped).toEqual([
      {
        backend: 'ort-node',
        device: 'wasm',
        code: 'UNKNOWN_DEVICE',
        reason: 'Backend ort-node has no device "wasm"; its devices are: tensorrt, cuda, cpu',
      },
    ]);
  });

  it('an unknown device on one backend and an unavailable one on another is NO_BACKEND_AVAILABLE with both codes', async () => {
    const registry = createRegistry();
    registry.register('ort-node', gpuBackend, { priority: 5 });
    registry.register('other', () =>
      createMockBackend({ name: 'other', devices: [{ name: 'cuda', unavailable: 'no driver' }] }),
    );
    const error = await rejection(registry.createSession(model, { devices: ['tensorrt'] }));
    expect(isPolyinferError(error, 'NO_BACKEND_AVAILABLE')).toBe(true);
    expect((error as NoBackendAvailableError).attempts.map((a) => a.code)).toEqual([
      'DEVICE_UNAVAILABLE',
      'UNKNOWN_DEVICE',
    ]);
  });
});

describe('options a backend does not honour', () => {
  const narrow = (): ReturnType<typeof createMockBackend> =>
    createMockBackend({
      name: 'narrow',
      capabilities: {
        options: ['graphOptimization'],
        backendOptions: ['fast'],
        runPolicy: 'queued-per-session',
        dtypes: ['float32'],
      },
    });

  it('are recorded in provenance and told to onIgnoredOption, the session still opens', async () => {
    const told: unknown[] = [];
    const registry = createRegistry({ onIgnoredOption: (i) => told.push(i) });
    registry.register('narrow', narrow);
    const session = await registry.createSession(model, {
      options: { intraOpThreads: 2, graphOptimization: 'all', backendOptions: { fast: true, turbo: 1 } },
    });
    expect(session.provenance.ignoredOptions.map((i) => i.option)).toEqual(['intraOpThreads', 'backendOptions.turbo']);
    expect(session.provenance.ignoredOptions[0]?.reason).toBe(
      'narrow does not honour intraOpThreads (it honours: graphOptimization)',
    );
    expect(told).toEqual(session.provenance.ignoredOptions.map((i) => ({ ...i, backend: 'narrow', device: 'cpu' })));
  });

  it('are INVALID_CONFIG in strict mode, naming each option', async () => {
    const registry = createRegistry();
    registry.register('narrow', narrow);
    const error = await rejection(registry.createSession(model, { strict: true, options: { interOpThreads: 2 } }));
    expect(isPolyinferError(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toContain('narrow cannot honour interOpThreads');
  });

  it('backendOptions keyed by backend: a strict chain across backends hands each its own keys', async () => {
    const registry = createRegistry();
    // "first" has only an unavailable device: the chain falls back to "narrow", which would refuse first's key.
    registry.register(
      'first',
      () =>
        createMockBackend({
          name: 'first',
          devices: [{ name: 'cpu', unavailable: 'not here' }],
          capabilities: { options: [], backendOptions: ['deep'], runPolicy: 'concurrent', dtypes: ['float32'] },
        }),
      { priority: 2 },
    );
    registry.register('narrow', narrow, { priority: 1 });
    const session = await registry.createSession(model, {
      backendOptions: { first: { deep: 3 }, narrow: { fast: true } },
    });
    expect([session.backend, session.provenance.ignoredOptions]).toEqual(['narrow', []]);
    // The same keys flat go to every backend tried: narrow ignores (or, strict, refuses) first's.
    const flat = await registry.createSession(model, { options: { backendOptions: { deep: 3, fast: true } } });
    expect(flat.provenance.ignoredOptions.map((i) => i.option)).toEqual(['backendOptions.deep']);
    const unknown = await rejection(registry.createSession(model, { backendOptions: { nrrow: { fast: true } } }));
    expect(isPolyinferError(unknown, 'INVALID_CONFIG') && (unknown as Error).message).toBe(
      'backendOptions names "nrrow", not a registered backend (registered: first, narrow)',
    );
    await Promise.all([session.dispose(), flat.dispose()]);
  });

  it("the registry report shows each backend's capabilities", async () => {
    const registry = createRegistry();
    registry.register('narrow', narrow);
    const [report] = await registry.report();
    expect(report?.capabilities).toEqual({
      options: ['graphOptimization'],
      backendOptions: ['fast'],
      runPolicy: 'queued-per-session',
      dtypes: ['float32'],
    });
  });
});

describe('RunOptions.signal', () => {
  it('a run whose signal is already aborted is refused with CANCELLED before the backend sees it', async () => {
    const registry = createRegistry();
    registry.register('mock', () => createMockBackend());
    const session = await registry.createSession(model, { backend: 'mock' });
    const controller = new AbortController();
    controller.abort();
    const { Tensor } = await import('@polyinfer/core');
    const t = new Tensor('float32', new Float32Array(6), [2, 3]);
    const error = await rejection(session.run({ a: t, b: t }, { signal: controller.signal }));
    expect(isPolyinferError(error, 'CANCELLED')).toBe(true);
    expect((error as Error).message).toBe('A run on mock:cpu was cancelled');
  });
});
