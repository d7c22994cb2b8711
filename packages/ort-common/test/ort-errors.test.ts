import { describe, expect, it } from 'vitest';
import { isOrtDeviceFailure, ortErrorMessage, tensorInfoFromOrt } from '@polyinfer/ort-common';

describe('onnxruntime error classifier', () => {
  it('tells device failures of the native and web builds from model failures', () => {
    expect(isOrtDeviceFailure('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library')).toBe(
      true,
    );
    expect(isOrtDeviceFailure('Failed to get a WebGPU adapter: No supported adapters')).toBe(true);
    expect(isOrtDeviceFailure('CUDA failure 100: no CUDA-capable device is detected')).toBe(true);
    expect(isOrtDeviceFailure('no available backend found. ERR: [webgpu] backend not found.')).toBe(true);
    expect(isOrtDeviceFailure('Failed to load model because protobuf parsing failed.')).toBe(false);
    expect(isOrtDeviceFailure('Node (conv) Op (Conv) [ShapeInferenceError] kernel shape mismatch')).toBe(false);
  });

  it('keeps the sentence a person needs', () => {
    expect(
      ortErrorMessage(
        new Error(
          '/onnxruntime_src/onnxruntime/core/session/inference_session.cc:123 status.IsOK() was false. Protobuf parsing failed.',
        ),
      ),
    ).toBe('Protobuf parsing failed.');
    expect(
      ortErrorMessage(new Error("Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model")),
    ).toBe('Failed to load model');
    expect(ortErrorMessage('plain')).toBe('plain');
  });

  it('maps metadata: unnamed dynamic dims become -1, named ones stay symbols', () => {
    expect(tensorInfoFromOrt({ name: 'x', isTensor: true, type: 'float32', shape: ['N', 3, '', 4] })).toEqual({
      name: 'x',
      dtype: 'float32',
      dims: ['N', 3, -1, 4],
    });
  });
});
