import { describe, expect, it } from 'vitest';
import { executionProvidersFor, isDeviceFailure, providerLibrariesFor, toOrtSessionOptions } from '@polyinfer/backend-ort-node';
import { isPolyinferError } from '@polyinfer/core';

describe('device → execution provider mapping', () => {
  it('maps each device to its providers, tensorrt backed by cuda', () => {
    expect(executionProvidersFor('cpu')).toEqual(['cpu']);
    expect(executionProvidersFor('cuda', { deviceId: 1 })).toEqual([{ name: 'cuda', deviceId: 1 }]);
    expect(executionProvidersFor('tensorrt')).toEqual([{ name: 'tensorrt' }, { name: 'cuda' }]);
    expect(executionProvidersFor('webgpu')).toEqual(['webgpu']);
  });

  it('names the provider libraries each GPU device needs, per platform', () => {
    expect(providerLibrariesFor('cpu')).toEqual([]);
    expect(providerLibrariesFor('cuda', 'linux')).toEqual(['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']);
    expect(providerLibrariesFor('tensorrt', 'win32')).toContain('onnxruntime_providers_tensorrt.dll');
  });

  it('tells device failures from model failures', () => {
    expect(isDeviceFailure('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library')).toBe(true);
    expect(isDeviceFailure('Failed to get a WebGPU adapter: No supported adapters')).toBe(true);
    expect(isDeviceFailure('CUDA failure 100: no CUDA-capable device is detected')).toBe(true);
    expect(isDeviceFailure('Failed to load model because protobuf parsing failed.')).toBe(false);
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
