import { describe, expect, it } from 'vitest';
import { buildOnnxModel } from '@polyinfer/core';
import type { ModelSpec } from '@polyinfer/core';
import { readModelSignature } from '@polyinfer/ort-common';
import { webgpuWrongForms } from '@polyinfer/backend-ort-web/base';

const softmax = (opset: number, op: string, axis?: number, dims: number[] = [2, 5, 3]): Uint8Array => {
  const spec: ModelSpec = {
    opset,
    inputs: [{ name: 'x', dtype: 'float32', dims }],
    outputs: [{ name: 'y', dtype: 'float32', dims }],
    nodes: [
      { op, inputs: ['x'], outputs: ['y'], name: 'head', ...(axis === undefined ? {} : { attributes: { axis } }) },
    ],
  };
  return buildOnnxModel(spec);
};
const formsOf = (bytes: Uint8Array): ReturnType<typeof webgpuWrongForms> =>
  webgpuWrongForms(readModelSignature(bytes)!);

describe("ort-web's WebGPU refusals", () => {
  it('refuses Softmax, LogSoftmax and Hardmax before opset 13 on a declared rank unless the axis is the last one (where both rules agree)', () => {
    expect(formsOf(softmax(11, 'Softmax', 1))).toEqual([
      { opType: 'Softmax', nodeName: 'head', domain: 'ai.onnx', opset: 11, attribute: 'axis', value: 1 },
    ]);
    expect(formsOf(softmax(9, 'LogSoftmax'))).toEqual([
      { opType: 'LogSoftmax', nodeName: 'head', domain: 'ai.onnx', opset: 9, attribute: 'axis', value: 1 },
    ]);
    expect(formsOf(softmax(11, 'Hardmax', 0))).toHaveLength(1);
    expect(formsOf(softmax(11, 'Softmax', -1))).toEqual([]);
    expect(formsOf(softmax(11, 'Softmax', 2))).toEqual([]);
    expect(formsOf(softmax(9, 'Softmax', undefined, [1, 1000]))).toEqual([]);
    expect(formsOf(softmax(9, 'Softmax', undefined, [1, 1000, 1, 1]))).toHaveLength(1);
    expect(formsOf(softmax(13, 'Softmax', 1))).toEqual([]);
    expect(formsOf(softmax(11, 'Relu'))).toEqual([]);
  });

  it('lets a node through when the model declares no rank for it (no shape inference at load)', () => {
    const spec: ModelSpec = {
      opset: 11,
      inputs: [{ name: 'x', dtype: 'float32', dims: [2, 5, 3] }],
      outputs: [{ name: 'z', dtype: 'float32', dims: [2, 5, 3] }],
      nodes: [
        { op: 'Softmax', inputs: ['x'], outputs: ['y'], attributes: { axis: 1 } },
        { op: 'Relu', inputs: ['y'], outputs: ['z'] },
      ],
    };
    // x's rank is declared: refused. The same Softmax on an undeclared intermediate is not.
    expect(formsOf(buildOnnxModel(spec))).toHaveLength(1);
    const inner: ModelSpec = {
      ...spec,
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['h'] },
        { op: 'Softmax', inputs: ['h'], outputs: ['y'], attributes: { axis: 1 } },
        { op: 'Relu', inputs: ['y'], outputs: ['z'] },
      ],
    };
    expect(formsOf(buildOnnxModel(inner))).toEqual([]);
  });

  it('refuses a dilated MaxPool (wrong values on WebGPU) and ceil_mode pools (not implemented there), at any opset', () => {
    const pool = (op: string, attributes: ModelSpec['nodes'][number]['attributes']): Uint8Array =>
      buildOnnxModel({
        opset: 12,
        inputs: [{ name: 'x', dtype: 'float32', dims: [1, 1, 4, 4] }],
        outputs: [{ name: 'y', dtype: 'float32', dims: [1, 1, 2, 2] }],
        nodes: [{ op, inputs: ['x'], outputs: ['y'], name: 'pool', attributes }],
      });
    expect(formsOf(pool('MaxPool', { kernel_shape: [2, 2], dilations: [2, 2] }))).toEqual([
      { opType: 'MaxPool', nodeName: 'pool', domain: 'ai.onnx', opset: 12, attribute: 'dilations', value: '2,2' },
    ]);
    expect(formsOf(pool('AveragePool', { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }))).toEqual([
      { opType: 'AveragePool', nodeName: 'pool', domain: 'ai.onnx', opset: 12, attribute: 'ceil_mode', value: 1 },
    ]);
    expect(formsOf(pool('MaxPool', { kernel_shape: [2, 2], strides: [2, 2] }))).toEqual([]);
    expect(formsOf(pool('MaxPool', { kernel_shape: [2, 2], dilations: [1, 1] }))).toEqual([]);
  });
});
