import { describe, expect, it } from 'vitest';
import { buildOnnxModel, createRegistry, isPolyinferError } from '@polyinfer/core';
import { conformanceModels } from '@polyinfer/core/testing';
import { nodePlatform } from '@polyinfer/core/platform';
import { createOrtWebBackend, registerOrtWebBackend, webnnMissing } from '@polyinfer/backend-ort-web';
import type { OrtWebBuild } from '@polyinfer/backend-ort-web';
import type * as Ort from 'onnxruntime-web';

const model = buildOnnxModel(conformanceModels.add);

describe('ort-web in Node', () => {
  it('runs wasm with two threads (SharedArrayBuffer is always there in Node)', async () => {
    const backend = await createOrtWebBackend();
    expect(backend.environment).toEqual({ platform: 'node', numThreads: 2 });
  });

  it('webgpu without a WebGPU implementation is unavailable, with the reason', async () => {
    const backend = await createOrtWebBackend();
    expect(await backend.probe('webgpu')).toEqual({
      available: false,
      reason: 'no WebGPU implementation in this Node process (navigator.gpu is absent)',
    });
    const error = await backend.createSession(model, { device: 'webgpu' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
  });

  it('webnn is unavailable outside browsers and in a browser without navigator.ml, each with its reason; ["webnn", "wasm"] falls back', async () => {
    const backend = await createOrtWebBackend();
    expect(await backend.probe('webnn')).toEqual({
      available: false,
      reason: 'WebNN exists only in browsers (navigator.ml); in Node use ort-node or ort-web wasm',
    });
    expect(webnnMissing({ navigator: {} }, 'browser')).toMatch(
      /^this browser exposes no WebNN \(navigator\.ml is absent\)/,
    );
    expect(webnnMissing({ navigator: { ml: { createContext: () => undefined } } }, 'browser')).toBeUndefined();
    const registry = createRegistry();
    registerOrtWebBackend(registry);
    const session = await registry.createSession(model, { backend: 'ort-web', devices: ['webnn', 'wasm'] });
    expect([session.device, session.provenance.skipped.map((a) => `${a.device}: ${a.code}`)]).toEqual([
      'wasm',
      ['webnn: DEVICE_UNAVAILABLE'],
    ]);
    await session.dispose();
  });

  it('["webgpu", "wasm"] falls back to wasm and records why', async () => {
    const registry = createRegistry();
    registerOrtWebBackend(registry);
    const session = await registry.createSession(model, { backend: 'ort-web', devices: ['webgpu', 'wasm'] });
    expect(session.device).toBe('wasm');
    expect(session.provenance.skipped).toEqual([
      {
        backend: 'ort-web',
        device: 'webgpu',
        code: 'DEVICE_UNAVAILABLE',
        reason: 'no WebGPU implementation in this Node process (navigator.gpu is absent)',
      },
    ]);
    await session.dispose();
  });

  it('a path that does not exist is MODEL_LOAD_FAILED naming the file', async () => {
    const backend = await createOrtWebBackend();
    const error = await backend.createSession('/missing/model.onnx', { device: 'wasm' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'MODEL_LOAD_FAILED')).toBe(true);
    expect((error as Error).message).toBe('Cannot load model /missing/model.onnx: file not found');
  });

  it('threads are a backend setting, not a session option: intraOpThreads is reported as ignored, INVALID_CONFIG when strict', async () => {
    const backend = await createOrtWebBackend();
    expect(backend.capabilities).toEqual({
      options: ['graphOptimization'],
      backendOptions: [],
      runPolicy: 'queued-per-session',
      dtypes: [
        'float16',
        'float32',
        'float64',
        'int8',
        'int16',
        'int32',
        'int64',
        'uint8',
        'uint16',
        'uint32',
        'uint64',
        'bool',
        'string',
      ],
    });
    const session = await backend.createSession(model, { device: 'wasm', intraOpThreads: 4, graphOptimization: 'all' });
    expect(session.provenance.ignoredOptions.map((i) => i.option)).toEqual(['intraOpThreads']);
    await session.dispose();
    const error = await backend
      .createSession(model, { device: 'wasm', intraOpThreads: 4 }, { strict: true })
      .catch((e: unknown) => e);
    expect(isPolyinferError(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toContain('ort-web does not honour intraOpThreads');
  });

  it('in a browser, wasm sessions run the plain wasm build and only webgpu loads the JSEP one, each loaded once', async () => {
    // Node's own onnxruntime-web stands in for both builds; what is checked is which build each device asks for.
    const loaded: OrtWebBuild[] = [];
    const backend = await createOrtWebBackend({
      platform: { ...nodePlatform, name: 'browser', webgpuStatus: async () => ({ available: true }) },
      loadRuntime: async (build) => {
        loaded.push(build);
        const module = (await import('onnxruntime-web')) as typeof Ort & { default?: typeof Ort };
        return module.default ?? module;
      },
    });
    for (let i = 0; i < 2; i++) await (await backend.createSession(model, { device: 'wasm' })).dispose();
    expect(loaded).toEqual(['wasm']);
    // Node's build has no WebGPU: the session fails, after the build it asked for was loaded.
    await backend.createSession(model, { device: 'webgpu' }).then(
      (s) => s.dispose(),
      () => undefined,
    );
    expect(loaded).toEqual(['wasm', 'webgpu']);
  });
});
