import { describe, expect, it } from 'vitest';
import {
  createOrtNodeBackend,
  executionProvidersFor,
  platformMissing,
  providerLibrariesFor,
  toOrtSessionOptions,
  validateOrtNodeBackendOptions,
  webgpuLoaderMissing,
} from '@polyinfer/backend-ort-node';
import { buildOnnxModel, isPolyinferError } from '@polyinfer/core';
import { conformanceModels } from '@polyinfer/core/testing';

describe('device → execution provider mapping', () => {
  it('maps each device to its providers, tensorrt backed by cuda', () => {
    expect(executionProvidersFor('cpu')).toEqual(['cpu']);
    expect(executionProvidersFor('cuda', { deviceId: 1 })).toEqual([{ name: 'cuda', deviceId: 1 }]);
    expect(executionProvidersFor('tensorrt')).toEqual([{ name: 'tensorrt' }, { name: 'cuda' }]);
    expect(executionProvidersFor('webgpu')).toEqual(['webgpu']);
  });

  it('names the provider libraries each GPU device needs, per platform', () => {
    expect(providerLibrariesFor('cpu')).toEqual([]);
    expect(providerLibrariesFor('cuda', 'linux')).toEqual([
      'libonnxruntime_providers_shared.so',
      'libonnxruntime_providers_cuda.so',
    ]);
    expect(providerLibrariesFor('tensorrt', 'win32')).toContain('onnxruntime_providers_tensorrt.dll');
  });
});

describe('the WebGPU device on Linux', () => {
  it('is unavailable without a Vulkan loader, said in the reason (Dawn is not loaded to find out)', () => {
    expect(webgpuLoaderMissing(() => false, 'linux', {})).toMatch(/no Vulkan loader \(libvulkan\.so\.1\)/);
    expect(webgpuLoaderMissing((p) => p === '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', 'linux', {})).toBeUndefined();
    expect(
      webgpuLoaderMissing((p) => p === '/opt/vk/libvulkan.so.1', 'linux', { LD_LIBRARY_PATH: '/opt/vk' }),
    ).toBeUndefined();
    expect(webgpuLoaderMissing(() => false, 'darwin', {})).toBeUndefined();
  });
});

describe('Core ML and DirectML', () => {
  it('map to their execution providers (DirectML with its GPU ordinal)', () => {
    expect(executionProvidersFor('coreml')).toEqual(['coreml']);
    expect(executionProvidersFor('dml', { deviceId: 1 })).toEqual([{ name: 'dml', deviceId: 1 }]);
  });

  it('exist only on their operating system, and say so elsewhere', async () => {
    expect(platformMissing('coreml', 'darwin')).toBeUndefined();
    expect(platformMissing('dml', 'win32')).toBeUndefined();
    expect(platformMissing('cpu', 'linux')).toBeUndefined();
    expect(platformMissing('dml', 'darwin')).toBe(
      "DirectML exists only on Windows (this machine runs darwin); onnxruntime-node's Windows build carries its dml execution provider",
    );
    // On this Linux machine: the real backend's probe and a session asking for them.
    const backend = await createOrtNodeBackend();
    expect(await backend.probe('coreml')).toEqual({
      available: false,
      reason: expect.stringMatching(/^Core ML exists only on macOS \(this machine runs linux\)/),
    });
    expect(await backend.probe('dml')).toEqual({
      available: false,
      reason: expect.stringMatching(/^DirectML exists only on Windows \(this machine runs linux\)/),
    });
    const error = await backend
      .createSession(buildOnnxModel(conformanceModels.add), { device: 'dml' })
      .catch((e: unknown) => e);
    expect(isPolyinferError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
  });
});

describe('session options', () => {
  it('maps polyinfer options to onnxruntime options', () => {
    expect(
      toOrtSessionOptions({
        device: 'tensorrt',
        intraOpThreads: 2,
        interOpThreads: 1,
        graphOptimization: 'extended',
        backendOptions: { deviceId: 0, executionMode: 'parallel', enableMemPattern: false },
      }),
    ).toEqual({
      executionProviders: [
        { name: 'tensorrt', deviceId: 0 },
        { name: 'cuda', deviceId: 0 },
      ],
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'extended',
      executionMode: 'parallel',
      enableMemPattern: false,
      logSeverityLevel: 3,
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
  });

  it('shapesVary turns the memory pattern off unless backendOptions say otherwise', () => {
    expect(toOrtSessionOptions({ device: 'cpu', shapesVary: true }).enableMemPattern).toBe(false);
    expect(
      toOrtSessionOptions({ device: 'cpu', shapesVary: true, backendOptions: { enableMemPattern: true } })
        .enableMemPattern,
    ).toBe(true);
    expect('enableMemPattern' in toOrtSessionOptions({ device: 'cpu' })).toBe(false);
  });

  it('refuses a backend option of the wrong type by name, before onnxruntime sees it', async () => {
    expect(() => validateOrtNodeBackendOptions({ executionMode: 'fast' })).toThrow(
      'ort-node\'s backendOptions.executionMode takes one of "sequential", "parallel"; got "fast"',
    );
    expect(() => validateOrtNodeBackendOptions({ deviceId: -1 })).toThrow('takes non negative integer; got -1');
    expect(() => validateOrtNodeBackendOptions({ enableMemPattern: false, logSeverityLevel: 3 })).not.toThrow();
    const backend = await createOrtNodeBackend();
    const error = await backend
      .createSession(buildOnnxModel(conformanceModels.add), { device: 'cpu', backendOptions: { allowSpinning: 'yes' } })
      .catch((e: unknown) => e);
    expect(isPolyinferError(error, 'INVALID_CONFIG')).toBe(true);
  });

  it('rejects nonsense thread counts with a config error', () => {
    let error: unknown;
    try {
      toOrtSessionOptions({ device: 'cpu', intraOpThreads: -1 });
    } catch (e) {
      error = e;
    }
    expect(isPolyinferError(error, 'INVALID_CONFIG')).toBe(true);
  });
});

describe('capabilities', () => {
  it('honours every tunable option; an unknown backend option is a warning, or INVALID_CONFIG when strict', async () => {
    const backend = await createOrtNodeBackend();
    expect(backend.capabilities).toMatchObject({
      options: ['intraOpThreads', 'interOpThreads', 'graphOptimization'],
      runPolicy: 'concurrent',
    });
    const model = buildOnnxModel(conformanceModels.add);
    const asked = {
      device: 'cpu',
      intraOpThreads: 1,
      graphOptimization: 'basic' as const,
      backendOptions: { allowSpinning: false, arenaExtendStrategy: 'kSameAsRequested' },
    };
    const session = await backend.createSession(model, asked);
    expect(session.provenance.ignoredOptions).toEqual([
      {
        option: 'backendOptions.arenaExtendStrategy',
        reason: expect.stringContaining('ort-node has no backend option "arenaExtendStrategy"'),
      },
    ]);
    await session.dispose();
    const error = await backend.createSession(model, asked, { strict: true }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'INVALID_CONFIG')).toBe(true);
  });
});
