import { describe, expect, it } from 'vitest';
import { buildOnnxModel, isPolyinferError } from '@polyinfer/core';
import { classifyOrtLoadFailure, ortErrorMessage, readModelSignature } from '@polyinfer/ort-common';

const model = buildOnnxModel({
  inputs: [{ name: 'x', dtype: 'bfloat16', dims: [2] }],
  outputs: [{ name: 'y', dtype: 'float32', dims: [2] }],
  nodes: [
    { op: 'Cast', inputs: ['x'], outputs: ['y'], name: 'to_float', attributes: { to: 1 } },
    { op: 'Mystery', inputs: ['x'], outputs: ['z'], name: 'custom', domain: 'com.example' },
  ],
});
const context = {
  backend: 'ort-node',
  label: 'm.onnx',
  dtypes: ['float32'],
  signature: async () => readModelSignature(model),
};
const classify = (message: string) => classifyOrtLoadFailure(message, new Error(message), context);

describe('onnxruntime load failures, classified', () => {
  it('a node without a kernel is UNSUPPORTED_OP naming op, domain, opset and node', async () => {
    const error = await classify("Could not find an implementation for Mystery(3) node with name 'custom'");
    expect(isPolyinferError(error, 'UNSUPPORTED_OP')).toBe(true);
    expect(error.details.ops).toEqual([{ opType: 'Mystery', nodeName: 'custom', domain: 'com.example', opset: 3 }]);
    expect(error.message).toBe(
      'ort-node cannot run 1 node(s) of this model: Mystery (node "custom", domain com.example, opset 3)',
    );
  });

  it('an op the build does not register, or an opset newer than it implements, is UNSUPPORTED_OP too', async () => {
    expect((await classify('Fatal error: com.example:Mystery(-1) is not a registered function/op')).code).toBe(
      'UNSUPPORTED_OP',
    );
    const tooNew = await classify(
      'ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Current official support for domain ai.onnx is till opset 24.',
    );
    expect(tooNew.code).toBe('UNSUPPORTED_OP');
    expect(tooNew.message).toContain('Cast (node "to_float", opset 13, opset = "13 (this build supports up to 24)")');
  });

  it('an element type the binding cannot carry is UNSUPPORTED_DTYPE naming the tensor', async () => {
    const error = await classify('Unsupported data type: 16');
    expect(error.code).toBe('UNSUPPORTED_DTYPE');
    expect(error.message).toBe('ort-node cannot run this model: input "x" is bfloat16 (ort-node runs float32)');
  });

  it("anything else stays MODEL_LOAD_FAILED with onnxruntime's own words, source paths stripped", async () => {
    const error = await classify(ortErrorMessage(new Error('Load model from /m.onnx failed:Protobuf parsing failed.')));
    expect([error.code, error.message]).toEqual([
      'MODEL_LOAD_FAILED',
      'Cannot load model m.onnx: Protobuf parsing failed.',
    ]);
    expect(
      ortErrorMessage(
        new Error(
          '/onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::string&, int) ONNX Runtime only *guarantees*',
        ),
      ),
    ).toBe('ONNX Runtime only *guarantees*');
  });
});
