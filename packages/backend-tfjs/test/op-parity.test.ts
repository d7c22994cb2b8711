import { describe, expect, it } from 'vitest';
import type { AttributeValue, Feeds, ModelSpec, NodeSpec, ValueSpec } from '@polyinfer/core';
import { buildOnnxModel, Tensor } from '@polyinfer/core';
import { maxAbsDifference, seededUniformTensor } from '@polyinfer/core/testing';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { createTfjsBackend, SUPPORTED_OPS } from '@polyinfer/backend-tfjs';

interface OpCase {
  name: string;
  inputs: ValueSpec[];
  output: number[];
  node: Omit<NodeSpec, 'outputs'>;
  initializers?: ModelSpec['initializers'];
  opset?: number;
  /** Input values other than seeded uniform [-1, 1) (e.g. positive for Sqrt/Log). */
  positive?: boolean;
  /** Multiplies the seeded inputs (Round needs values past ±0.5). */
  scale?: number;
  outputDtype?: 'float32' | 'bool';
}

const f = (name: string, dims: number[]): ValueSpec => ({ name, dtype: 'float32', dims });
const i64 = (name: string, values: number[]) => ({
  name,
  dtype: 'int64' as const,
  dims: [values.length],
  data: BigInt64Array.from(values.map(BigInt)),
});
const weights = (name: string, dims: number[], seed: number) => ({
  name,
  dtype: 'float32' as const,
  dims,
  data: seededUniformTensor(dims, seed).data,
});
const unaryCase = (op: string, attributes?: Record<string, AttributeValue>, positive = false): OpCase => ({
  name: op,
  inputs: [f('x', [2, 3, 4])],
  output: [2, 3, 4],
  node: { op, inputs: ['x'], ...(attributes ? { attributes } : {}) },
  positive,
});
const binaryCase = (op: string, b: number[] = [3, 1]): OpCase => ({
  name: `${op} (broadcast)`,
  inputs: [f('x', [2, 3, 4]), f('y', b)],
  output: [2, 3, 4],
  node: { op, inputs: ['x', 'y'] },
});

// Each op against onnxruntime-node on small seeded inputs (tolerance 1e-4).
const CASES: OpCase[] = [
  binaryCase('Add'),
  binaryCase('Sub'),
  binaryCase('Mul'),
  binaryCase('Div', [4]),
  { ...binaryCase('Pow', [1]), positive: true },
  unaryCase('Relu'),
  unaryCase('Sigmoid'),
  unaryCase('Tanh'),
  unaryCase('Neg'),
  unaryCase('Abs'),
  unaryCase('Exp'),
  unaryCase('Erf'),
  unaryCase('Floor'),
  unaryCase('Ceil'),
  unaryCase('Sqrt', undefined, true),
  unaryCase('Log', undefined, true),
  unaryCase('Reciprocal', undefined, true),
  unaryCase('LeakyRelu', { alpha: { f: 0.1 } }),
  unaryCase('HardSigmoid', { alpha: { f: 0.3 }, beta: { f: 0.4 } }),
  { ...unaryCase('Clip', { min: { f: -0.5 }, max: { f: 0.5 } }), opset: 9, name: 'Clip (opset 9 attributes)' },
  {
    name: 'Clip (opset 11 inputs)',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 4],
    node: { op: 'Clip', inputs: ['x', 'lo', 'hi'] },
    initializers: [
      { name: 'lo', dtype: 'float32', dims: [], data: Float32Array.from([-0.3]) },
      { name: 'hi', dtype: 'float32', dims: [], data: Float32Array.from([0.6]) },
    ],
    opset: 11,
  },
  unaryCase('Identity'),
  unaryCase('Dropout'),
  {
    name: 'Softmax (opset 13, axis 1)',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 4],
    node: { op: 'Softmax', inputs: ['x'], attributes: { axis: 1 } },
  },
  {
    name: 'Softmax (opset 9, axis 2)',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 4],
    node: { op: 'Softmax', inputs: ['x'], attributes: { axis: 2 } },
    opset: 9,
  },
  {
    name: 'Conv 3×3 pads 1 stride 2',
    inputs: [f('x', [1, 3, 9, 9])],
    output: [1, 4, 5, 5],
    node: { op: 'Conv', inputs: ['x', 'w', 'b'], attributes: { pads: [1, 1, 1, 1], strides: [2, 2] } },
    initializers: [weights('w', [4, 3, 3, 3], 2), weights('b', [4], 3)],
  },
  {
    name: 'Conv depthwise strides (2, 1)',
    inputs: [f('x', [1, 4, 8, 8])],
    output: [1, 4, 4, 8],
    node: { op: 'Conv', inputs: ['x', 'w'], attributes: { group: 4, pads: [1, 1, 1, 1], strides: [2, 1] } },
    initializers: [weights('w', [4, 1, 3, 3], 4)],
  },
  {
    name: 'Conv grouped (2 groups)',
    inputs: [f('x', [1, 4, 6, 6])],
    output: [1, 6, 6, 6],
    node: { op: 'Conv', inputs: ['x', 'w'], attributes: { group: 2, pads: [1, 1, 1, 1] } },
    initializers: [weights('w', [6, 2, 3, 3], 5)],
  },
  {
    name: 'ConvTranspose stride 2',
    inputs: [f('x', [1, 4, 5, 5])],
    output: [1, 3, 10, 10],
    node: { op: 'ConvTranspose', inputs: ['x', 'w', 'b'], attributes: { strides: [2, 2] } },
    initializers: [weights('w', [4, 3, 2, 2], 6), weights('b', [3], 7)],
  },
  {
    name: 'MaxPool 3×3 s2 pads 1',
    inputs: [f('x', [1, 2, 7, 7])],
    output: [1, 2, 4, 4],
    node: { op: 'MaxPool', inputs: ['x'], attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  },
  {
    name: 'MaxPool ceil_mode',
    inputs: [f('x', [1, 2, 6, 6])],
    output: [1, 2, 3, 3],
    node: { op: 'MaxPool', inputs: ['x'], attributes: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 } },
  },
  {
    name: 'AveragePool 3×3 s2 pads 1 (pads excluded)',
    inputs: [f('x', [1, 2, 7, 7])],
    output: [1, 2, 4, 4],
    node: {
      op: 'AveragePool',
      inputs: ['x'],
      attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
    },
  },
  {
    name: 'AveragePool 2×2',
    inputs: [f('x', [1, 2, 6, 6])],
    output: [1, 2, 3, 3],
    node: { op: 'AveragePool', inputs: ['x'], attributes: { kernel_shape: [2, 2], strides: [2, 2] } },
  },
  {
    name: 'GlobalAveragePool',
    inputs: [f('x', [2, 3, 5, 5])],
    output: [2, 3, 1, 1],
    node: { op: 'GlobalAveragePool', inputs: ['x'] },
  },
  {
    name: 'BatchNormalization',
    inputs: [f('x', [2, 3, 4, 4])],
    output: [2, 3, 4, 4],
    node: { op: 'BatchNormalization', inputs: ['x', 's', 'b', 'm', 'v'], attributes: { epsilon: { f: 1e-3 } } },
    initializers: [
      weights('s', [3], 8),
      weights('b', [3], 9),
      weights('m', [3], 10),
      { name: 'v', dtype: 'float32', dims: [3], data: Float32Array.from([0.5, 1, 2]) },
    ],
  },
  {
    name: 'LRN',
    inputs: [f('x', [1, 6, 4, 4])],
    output: [1, 6, 4, 4],
    node: { op: 'LRN', inputs: ['x'], attributes: { size: 3, alpha: { f: 1e-2 }, beta: { f: 0.75 }, bias: { f: 1 } } },
  },
  {
    name: 'MatMul (batched × 2-D)',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 5],
    node: { op: 'MatMul', inputs: ['x', 'w'] },
    initializers: [weights('w', [4, 5], 11)],
  },
  {
    name: 'MatMul (rank 4 × [1, K, N]: one 2-D product over every row)',
    inputs: [f('x', [2, 2, 3, 4])],
    output: [2, 2, 3, 5],
    node: { op: 'MatMul', inputs: ['x', 'w'] },
    initializers: [weights('w', [1, 4, 5], 14)],
  },
  {
    name: 'MatMul (batch dims broadcast both ways: [2, 1] with [3])',
    inputs: [f('x', [2, 1, 3, 4])],
    output: [2, 3, 3, 5],
    node: { op: 'MatMul', inputs: ['x', 'w'] },
    initializers: [weights('w', [3, 4, 5], 16)],
  },
  {
    name: 'MatMul (rank 3 × [1, 1, K, N]: the result takes the larger rank)',
    inputs: [f('x', [2, 3, 4])],
    output: [1, 2, 3, 5],
    node: { op: 'MatMul', inputs: ['x', 'w'] },
    initializers: [weights('w', [1, 1, 4, 5], 15)],
  },
  {
    name: 'Gemm transB alpha beta',
    inputs: [f('x', [2, 4])],
    output: [2, 3],
    node: { op: 'Gemm', inputs: ['x', 'w', 'c'], attributes: { transB: 1, alpha: { f: 0.5 }, beta: { f: 2 } } },
    initializers: [weights('w', [3, 4], 12), weights('c', [3], 13)],
  },
  {
    name: 'ReduceMean axes keepdims',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 1, 4],
    node: { op: 'ReduceMean', inputs: ['x'], attributes: { axes: [1] } },
  },
  {
    name: 'Transpose 5-D',
    inputs: [f('x', [1, 2, 3, 2, 2])],
    output: [1, 3, 2, 2, 2],
    node: { op: 'Transpose', inputs: ['x'], attributes: { perm: [0, 2, 1, 3, 4] } },
  },
  {
    name: 'Reshape with 0 and -1',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 12],
    node: { op: 'Reshape', inputs: ['x', 'shape'] },
    initializers: [i64('shape', [0, -1])],
  },
  {
    name: 'Flatten axis 2',
    inputs: [f('x', [2, 3, 4])],
    output: [6, 4],
    node: { op: 'Flatten', inputs: ['x'], attributes: { axis: 2 } },
  },
  {
    name: 'Concat axis 1',
    inputs: [f('x', [2, 3, 4]), f('y', [2, 2, 4])],
    output: [2, 5, 4],
    node: { op: 'Concat', inputs: ['x', 'y'], attributes: { axis: 1 } },
  },
  {
    name: 'Slice (opset 9 attributes)',
    inputs: [f('x', [2, 6, 4])],
    output: [2, 3, 4],
    node: { op: 'Slice', inputs: ['x'], attributes: { starts: [1], ends: [4], axes: [1] } },
    opset: 9,
  },
  {
    name: 'Slice (inputs, negative, step 2)',
    inputs: [f('x', [2, 6, 4])],
    output: [2, 3, 4],
    node: { op: 'Slice', inputs: ['x', 'st', 'en', 'ax', 'sp'] },
    initializers: [i64('st', [-6]), i64('en', [1000]), i64('ax', [1]), i64('sp', [2])],
  },
  {
    name: 'Squeeze / Unsqueeze (opset 13 inputs)',
    inputs: [f('x', [2, 1, 4])],
    output: [1, 2, 4],
    node: { op: 'Unsqueeze', inputs: ['x', 'ax'] },
    initializers: [i64('ax', [0])],
  },
  {
    name: 'Gather axis 1',
    inputs: [f('x', [2, 5, 3])],
    output: [2, 2, 3],
    node: { op: 'Gather', inputs: ['x', 'idx'], attributes: { axis: 1 } },
    initializers: [i64('idx', [4, -5])],
  },
  {
    name: 'Resize nearest ×2 (opset 11)',
    inputs: [f('x', [1, 2, 3, 4])],
    output: [1, 2, 6, 8],
    node: {
      op: 'Resize',
      inputs: ['x', 'roi', 'scales'],
      attributes: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
    },
    initializers: [
      { name: 'roi', dtype: 'float32', dims: [0], data: new Float32Array(0) },
      { name: 'scales', dtype: 'float32', dims: [4], data: Float32Array.from([1, 1, 2, 2]) },
    ],
    opset: 11,
  },
  {
    name: 'Pad constant',
    inputs: [f('x', [1, 2, 3])],
    output: [1, 4, 6],
    node: { op: 'Pad', inputs: ['x', 'pads'] },
    initializers: [i64('pads', [0, 1, 1, 0, 1, 2])],
  },
  {
    name: 'Pad reflect',
    inputs: [f('x', [1, 2, 4, 5])],
    output: [1, 2, 7, 8],
    node: { op: 'Pad', inputs: ['x', 'pads'], attributes: { mode: 'reflect' } },
    initializers: [i64('pads', [0, 0, 1, 2, 0, 0, 2, 1])],
  },
  {
    name: 'ConvTranspose 3×3 stride 3 (blocks without overlap)',
    inputs: [f('x', [1, 5, 3, 4])],
    output: [1, 2, 9, 12],
    node: { op: 'ConvTranspose', inputs: ['x', 'w', 'b'], attributes: { strides: [3, 3] } },
    initializers: [weights('w', [5, 2, 3, 3], 25), weights('b', [2], 26)],
  },
  {
    name: 'ConvTranspose 2×1 stride 2×1 (not square: the general path)',
    inputs: [f('x', [1, 3, 4, 4])],
    output: [1, 2, 8, 4],
    node: { op: 'ConvTranspose', inputs: ['x', 'w'], attributes: { strides: [2, 1] } },
    initializers: [weights('w', [3, 2, 2, 1], 27)],
  },
  {
    name: 'ConvTranspose grouped (2 groups) stride 2 pads 1',
    inputs: [f('x', [1, 4, 5, 5])],
    output: [1, 6, 9, 9],
    node: {
      op: 'ConvTranspose',
      inputs: ['x', 'w', 'b'],
      attributes: { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] },
    },
    initializers: [weights('w', [4, 3, 3, 3], 16), weights('b', [6], 17)],
  },
  {
    name: 'Conv 1-D k3 stride 2 pads 1',
    inputs: [f('x', [2, 3, 11])],
    output: [2, 4, 6],
    node: { op: 'Conv', inputs: ['x', 'w', 'b'], attributes: { pads: [1, 1], strides: [2] } },
    initializers: [weights('w', [4, 3, 3], 18), weights('b', [4], 19)],
  },
  {
    name: 'Conv 1-D k3 dilation 2',
    inputs: [f('x', [2, 3, 11])],
    output: [2, 4, 7],
    node: { op: 'Conv', inputs: ['x', 'w'], attributes: { dilations: [2] } },
    initializers: [weights('w', [4, 3, 3], 21)],
  },
  {
    name: 'Conv 1-D depthwise',
    inputs: [f('x', [1, 4, 9])],
    output: [1, 4, 9],
    node: { op: 'Conv', inputs: ['x', 'w'], attributes: { group: 4, pads: [2, 2] } },
    initializers: [weights('w', [4, 1, 5], 20)],
  },
  {
    name: 'Expand',
    inputs: [f('x', [3, 1])],
    output: [2, 3, 4],
    node: { op: 'Expand', inputs: ['x', 'shape'] },
    initializers: [i64('shape', [2, 3, 4])],
  },
  {
    name: 'LayerNormalization',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 4],
    node: { op: 'LayerNormalization', inputs: ['x', 's', 'b'], attributes: { axis: -1 } },
    initializers: [weights('s', [4], 14), weights('b', [4], 15)],
    opset: 17,
  },
  { ...unaryCase('HardSwish'), opset: 14 },
  { ...unaryCase('Gelu'), opset: 20 },
  { ...unaryCase('Gelu', { approximate: 'tanh' }), name: 'Gelu (tanh)', opset: 20 },
  { ...unaryCase('Mish'), opset: 18 },
  unaryCase('Elu', { alpha: { f: 0.7 } }),
  unaryCase('Selu'),
  unaryCase('Softplus'),
  unaryCase('Softsign'),
  unaryCase('Sin'),
  unaryCase('Cos'),
  unaryCase('Sign'),
  {
    name: 'Round (halves to even)',
    inputs: [f('x', [8])],
    output: [8],
    node: { op: 'Round', inputs: ['x'] },
    scale: 4,
  },
  {
    name: 'PRelu (per channel)',
    inputs: [f('x', [2, 3, 4, 4])],
    output: [2, 3, 4, 4],
    node: { op: 'PRelu', inputs: ['x', 'slope'] },
    initializers: [weights('slope', [3, 1, 1], 22)],
  },
  ...['Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual'].map((op): OpCase => ({
    ...binaryCase(op),
    outputDtype: 'bool',
  })),
  {
    name: 'And',
    inputs: [
      { name: 'x', dtype: 'bool', dims: [2, 3] },
      { name: 'y', dtype: 'bool', dims: [3] },
    ],
    output: [2, 3],
    node: { op: 'And', inputs: ['x', 'y'] },
    outputDtype: 'bool',
  },
  {
    name: 'Or',
    inputs: [
      { name: 'x', dtype: 'bool', dims: [2, 3] },
      { name: 'y', dtype: 'bool', dims: [2, 3] },
    ],
    output: [2, 3],
    node: { op: 'Or', inputs: ['x', 'y'] },
    outputDtype: 'bool',
  },
  {
    name: 'Xor',
    inputs: [
      { name: 'x', dtype: 'bool', dims: [2, 3] },
      { name: 'y', dtype: 'bool', dims: [2, 3] },
    ],
    output: [2, 3],
    node: { op: 'Xor', inputs: ['x', 'y'] },
    outputDtype: 'bool',
  },
  {
    name: 'Not',
    inputs: [{ name: 'x', dtype: 'bool', dims: [2, 3] }],
    output: [2, 3],
    node: { op: 'Not', inputs: ['x'] },
    outputDtype: 'bool',
  },
  {
    name: 'Min of three',
    inputs: [f('x', [2, 3]), f('y', [2, 3]), f('z', [3])],
    output: [2, 3],
    node: { op: 'Min', inputs: ['x', 'y', 'z'] },
  },
  {
    name: 'Max of two',
    inputs: [f('x', [2, 3]), f('y', [1])],
    output: [2, 3],
    node: { op: 'Max', inputs: ['x', 'y'] },
  },
  {
    name: 'Mean of three',
    inputs: [f('x', [2, 3]), f('y', [2, 3]), f('z', [3])],
    output: [2, 3],
    node: { op: 'Mean', inputs: ['x', 'y', 'z'] },
  },
  {
    name: 'Tile',
    inputs: [f('x', [2, 3])],
    output: [4, 9],
    node: { op: 'Tile', inputs: ['x', 'reps'] },
    initializers: [i64('reps', [2, 3])],
  },
  {
    name: 'Range (float)',
    inputs: [],
    output: [5],
    node: { op: 'Range', inputs: ['start', 'limit', 'delta'] },
    initializers: [
      { name: 'start', dtype: 'float32', dims: [], data: Float32Array.of(1) },
      { name: 'limit', dtype: 'float32', dims: [], data: Float32Array.of(7.5) },
      { name: 'delta', dtype: 'float32', dims: [], data: Float32Array.of(1.5) },
    ],
    opset: 11,
  },
  {
    name: 'DepthToSpace DCR',
    inputs: [f('x', [1, 8, 2, 3])],
    output: [1, 2, 4, 6],
    node: { op: 'DepthToSpace', inputs: ['x'], attributes: { blocksize: 2 } },
  },
  {
    name: 'DepthToSpace CRD',
    inputs: [f('x', [1, 8, 2, 3])],
    output: [1, 2, 4, 6],
    node: { op: 'DepthToSpace', inputs: ['x'], attributes: { blocksize: 2, mode: 'CRD' } },
  },
  {
    name: 'SpaceToDepth',
    inputs: [f('x', [1, 2, 4, 6])],
    output: [1, 8, 2, 3],
    node: { op: 'SpaceToDepth', inputs: ['x'], attributes: { blocksize: 2 } },
  },
  {
    name: 'InstanceNormalization',
    inputs: [f('x', [2, 3, 4, 5])],
    output: [2, 3, 4, 5],
    node: { op: 'InstanceNormalization', inputs: ['x', 's', 'b'], attributes: { epsilon: { f: 1e-4 } } },
    initializers: [weights('s', [3], 23), weights('b', [3], 24)],
  },
  {
    name: 'Sum of three',
    inputs: [f('x', [2, 3]), f('y', [2, 3]), f('z', [3])],
    output: [2, 3],
    node: { op: 'Sum', inputs: ['x', 'y', 'z'] },
  },
  {
    name: 'Where + Equal',
    inputs: [f('x', [2, 3]), f('y', [2, 3])],
    output: [2, 3],
    node: { op: 'Where', inputs: ['c', 'x', 'y'] },
    initializers: [{ name: 'c', dtype: 'bool', dims: [2, 3], data: Uint8Array.from([1, 0, 1, 0, 0, 1]) }],
  },
  // Added with the importer's wider op set (issue 24); each failed or was refused before.
  {
    name: 'Conv depthwise 1×3 kernel, no pads (not square: tfjs sizes a numeric pad from the kernel height)',
    inputs: [f('x', [1, 2, 1, 6])],
    output: [1, 2, 1, 4],
    node: { op: 'Conv', inputs: ['x', 'w'], attributes: { group: 2 } },
    initializers: [weights('w', [2, 1, 1, 3], 30)],
  },
  {
    name: 'ConvTranspose 1-D stride 2',
    inputs: [f('x', [1, 3, 5])],
    output: [1, 2, 11],
    node: { op: 'ConvTranspose', inputs: ['x', 'w'], attributes: { strides: [2] } },
    initializers: [weights('w', [3, 2, 3], 31)],
  },
  {
    name: 'MaxPool 1-D k3 s2',
    inputs: [f('x', [1, 2, 9])],
    output: [1, 2, 4],
    node: { op: 'MaxPool', inputs: ['x'], attributes: { kernel_shape: [3], strides: [2] } },
  },
  {
    name: 'AveragePool ceil_mode, pads, count_include_pad',
    inputs: [f('x', [1, 2, 6, 6])],
    output: [1, 2, 4, 4],
    node: {
      op: 'AveragePool',
      inputs: ['x'],
      attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 },
    },
  },
  {
    name: 'MaxPool ceil_mode whose last window would start in the padding',
    inputs: [f('x', [1, 1, 4, 4])],
    output: [1, 1, 2, 2],
    node: {
      op: 'MaxPool',
      inputs: ['x'],
      attributes: { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1], ceil_mode: 1 },
    },
  },
  {
    name: 'LpPool p=2 pads 1',
    inputs: [f('x', [1, 2, 5, 5])],
    output: [1, 2, 5, 5],
    node: { op: 'LpPool', inputs: ['x'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
    opset: 18,
  },
  {
    name: 'Hardmax axis 1',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 4],
    node: { op: 'Hardmax', inputs: ['x'], attributes: { axis: 1 } },
  },
  {
    name: 'RMSNormalization',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 4],
    node: { op: 'RMSNormalization', inputs: ['x', 's'] },
    initializers: [weights('s', [4], 32)],
    opset: 23,
  },
  {
    name: 'GroupNormalization 2 groups',
    inputs: [f('x', [2, 4, 3, 3])],
    output: [2, 4, 3, 3],
    node: { op: 'GroupNormalization', inputs: ['x', 's', 'b'], attributes: { num_groups: 2 } },
    initializers: [weights('s', [4], 33), weights('b', [4], 34)],
    opset: 21,
  },
  {
    name: 'LpNormalization axis 1',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 4],
    node: { op: 'LpNormalization', inputs: ['x'], attributes: { axis: 1 } },
  },
  {
    name: 'Attention 4-D, causal, additive mask',
    inputs: [f('q', [1, 2, 3, 4]), f('k', [1, 2, 5, 4]), f('v', [1, 2, 5, 4])],
    output: [1, 2, 3, 4],
    node: { op: 'Attention', inputs: ['q', 'k', 'v', 'mask'], attributes: { is_causal: 1 } },
    initializers: [weights('mask', [3, 5], 35)],
    opset: 23,
  },
  {
    name: 'Attention 3-D, grouped kv heads, softcap',
    inputs: [f('q', [1, 3, 8]), f('k', [1, 5, 4]), f('v', [1, 5, 4])],
    output: [1, 3, 8],
    node: {
      op: 'Attention',
      inputs: ['q', 'k', 'v'],
      attributes: { q_num_heads: 2, kv_num_heads: 1, softcap: { f: 0.5 } },
    },
    opset: 23,
  },
  ...['ReduceL1', 'ReduceL2', 'ReduceLogSumExp', 'ReduceProd', 'ReduceSumSquare'].map((op): OpCase => ({
    name: `${op} axes [0, 2]`,
    inputs: [f('x', [2, 3, 4])],
    output: [1, 3, 1],
    node: { op, inputs: ['x'], attributes: { axes: [0, 2] } },
  })),
  {
    name: 'ReduceSum with an empty axes input: every axis',
    inputs: [f('x', [2, 3, 4])],
    output: [1, 1, 1],
    node: { op: 'ReduceSum', inputs: ['x', 'axes'] },
    initializers: [i64('axes', [])],
  },
  {
    name: 'Trilu lower k=-1',
    inputs: [f('x', [2, 4, 5])],
    output: [2, 4, 5],
    node: { op: 'Trilu', inputs: ['x', 'k'], attributes: { upper: 0 } },
    initializers: [{ name: 'k', dtype: 'int64', dims: [], data: BigInt64Array.of(-1n) }],
    opset: 14,
  },
  {
    name: 'CumSum exclusive reverse',
    inputs: [f('x', [2, 3, 4])],
    output: [2, 3, 4],
    node: { op: 'CumSum', inputs: ['x', 'axis'], attributes: { exclusive: 1, reverse: 1 } },
    initializers: [{ name: 'axis', dtype: 'int64', dims: [], data: BigInt64Array.of(1n) }],
    opset: 14,
  },
  {
    ...binaryCase('Mod', [4]),
    name: 'Mod fmod (float)',
    node: { op: 'Mod', inputs: ['x', 'y'], attributes: { fmod: 1 } },
  },
  unaryCase('Shrink', { lambd: { f: 0.3 }, bias: { f: 0.1 } }),
  unaryCase('ThresholdedRelu', { alpha: { f: 0.2 } }),
  { ...unaryCase('Celu', { alpha: { f: 0.8 } }), opset: 12 },
  unaryCase('Tan'),
  unaryCase('Asin'),
  unaryCase('Acos'),
  unaryCase('Atan'),
  unaryCase('Sinh'),
  unaryCase('Cosh'),
  unaryCase('Asinh'),
  unaryCase('Atanh'),
  {
    name: 'MatMul 1-D × 2-D',
    inputs: [f('x', [4])],
    output: [3],
    node: { op: 'MatMul', inputs: ['x', 'w'] },
    initializers: [weights('w', [4, 3], 36)],
  },
  {
    name: 'Pad with axes (opset 18)',
    inputs: [f('x', [1, 2, 3])],
    output: [1, 2, 6],
    node: { op: 'Pad', inputs: ['x', 'pads', '', 'axes'] },
    initializers: [i64('pads', [1, 2]), i64('axes', [-1])],
    opset: 18,
  },
  {
    name: 'Resize cubic ×1.5 / ×0.6 (Keys a = −0.5, exclude_outside)',
    inputs: [f('x', [1, 2, 4, 5])],
    output: [1, 2, 6, 3],
    node: {
      op: 'Resize',
      inputs: ['x', '', 'scales'],
      attributes: { mode: 'cubic', cubic_coeff_a: { f: -0.5 }, exclude_outside: 1 },
    },
    initializers: [{ name: 'scales', dtype: 'float32', dims: [4], data: Float32Array.from([1, 1, 1.5, 0.6]) }],
  },
  {
    name: 'Resize cubic ×2 (default a = −0.75)',
    inputs: [f('x', [1, 1, 3, 4])],
    output: [1, 1, 6, 8],
    node: { op: 'Resize', inputs: ['x', '', 'scales'], attributes: { mode: 'cubic' } },
    initializers: [{ name: 'scales', dtype: 'float32', dims: [4], data: Float32Array.from([1, 1, 2, 2]) }],
  },
  {
    name: 'Resize with axes [3, 2] (opset 18)',
    inputs: [f('x', [1, 2, 3, 4])],
    output: [1, 2, 6, 2],
    node: { op: 'Resize', inputs: ['x', '', 'scales'], attributes: { mode: 'linear', axes: [3, 2] } },
    initializers: [{ name: 'scales', dtype: 'float32', dims: [2], data: Float32Array.from([0.5, 2]) }],
    opset: 18,
  },
  {
    name: 'GridSample bilinear, zeros padding',
    inputs: [f('x', [1, 2, 4, 5]), f('grid', [1, 3, 3, 2])],
    output: [1, 2, 3, 3],
    node: { op: 'GridSample', inputs: ['x', 'grid'] },
    opset: 16,
  },
  {
    name: 'GridSample bicubic, reflection, align_corners',
    inputs: [f('x', [1, 2, 4, 5]), f('grid', [1, 3, 3, 2])],
    output: [1, 2, 3, 3],
    node: {
      op: 'GridSample',
      inputs: ['x', 'grid'],
      attributes: { mode: 'bicubic', padding_mode: 'reflection', align_corners: 1 },
    },
    scale: 1.5,
    opset: 16,
  },
  {
    name: 'Einsum batch matmul',
    inputs: [f('x', [2, 3, 4]), f('y', [2, 4, 5])],
    output: [2, 3, 5],
    node: { op: 'Einsum', inputs: ['x', 'y'], attributes: { equation: 'bij,bjk->bik' } },
    opset: 12,
  },
  {
    name: 'RotaryEmbedding 4-D, interleaved, no position ids',
    inputs: [f('x', [1, 2, 3, 8]), f('cos', [1, 3, 4]), f('sin', [1, 3, 4])],
    output: [1, 2, 3, 8],
    node: { op: 'RotaryEmbedding', inputs: ['x', 'cos', 'sin'], attributes: { interleaved: 1 } },
    opset: 23,
  },
  {
    name: 'CenterCropPad (crop one axis, pad the other)',
    inputs: [f('x', [4, 5])],
    output: [3, 7],
    node: { op: 'CenterCropPad', inputs: ['x', 'shape'] },
    initializers: [i64('shape', [3, 7])],
    opset: 18,
  },
];

// Resize: every mode × coordinate transformation × nearest mode the importer accepts, enlarging and shrinking, by
// scales (integer and not) and by sizes — each against onnxruntime-node.
const scalesOf = (values: number[]) => ({
  name: 'scales',
  dtype: 'float32' as const,
  dims: [4],
  data: Float32Array.from(values),
});
const roi = { name: 'roi', dtype: 'float32' as const, dims: [0], data: new Float32Array(0) };
for (const mode of ['nearest', 'linear']) {
  for (const transform of ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric']) {
    for (const nearest of mode === 'nearest'
      ? ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']
      : ['round_prefer_floor']) {
      const attributes = { mode, coordinate_transformation_mode: transform, nearest_mode: nearest };
      const label = `Resize ${mode} ${transform}${mode === 'nearest' ? ` ${nearest}` : ''}`;
      CASES.push(
        {
          name: `${label} ×2`,
          inputs: [f('x', [1, 2, 3, 4])],
          output: [1, 2, 6, 8],
          node: { op: 'Resize', inputs: ['x', 'roi', 'scales'], attributes },
          initializers: [roi, scalesOf([1, 1, 2, 2])],
          opset: 13,
        },
        {
          name: `${label} ×1.5 / ×0.6`,
          inputs: [f('x', [1, 1, 4, 5])],
          output: [1, 1, 6, 3],
          node: { op: 'Resize', inputs: ['x', 'roi', 'scales'], attributes },
          initializers: [roi, scalesOf([1, 1, 1.5, 0.6])],
          opset: 13,
        },
        {
          name: `${label} to sizes 7×2`,
          inputs: [f('x', [1, 2, 3, 5])],
          output: [1, 2, 7, 2],
          node: { op: 'Resize', inputs: ['x', 'roi', '', 'sizes'], attributes },
          initializers: [roi, i64('sizes', [1, 2, 7, 2])],
          opset: 13,
        },
      );
    }
  }
}
CASES.push(
  {
    name: 'Resize-10 nearest ×2',
    inputs: [f('x', [1, 1, 3, 3])],
    output: [1, 1, 6, 6],
    node: { op: 'Resize', inputs: ['x', 'scales'], attributes: { mode: 'nearest' } },
    initializers: [scalesOf([1, 1, 2, 2])],
    opset: 10,
  },
  {
    name: 'Upsample-9 linear ×2',
    inputs: [f('x', [1, 1, 3, 3])],
    output: [1, 1, 6, 6],
    node: { op: 'Upsample', inputs: ['x', 'scales'], attributes: { mode: 'linear' } },
    initializers: [scalesOf([1, 1, 2, 2])],
    opset: 9,
  },
);

describe('tfjs ops against onnxruntime-node', async () => {
  const tfjs = await createTfjsBackend();
  const ort = await createOrtNodeBackend();
  for (const c of CASES) {
    it.each(['cpu', 'wasm'])(`${c.name.replaceAll('%', '%%')} (%s)`, async (device) => {
      const model = buildOnnxModel({
        opset: c.opset ?? 13,
        inputs: c.inputs,
        outputs: [{ name: 'out', dtype: c.outputDtype ?? 'float32', dims: c.output }],
        nodes: [{ ...c.node, outputs: ['out'] }],
        initializers: c.initializers ?? [],
      });
      const feeds: Feeds = {};
      c.inputs.forEach((input, k) => {
        const t = seededUniformTensor(input.dims as number[], 100 + k);
        if (input.dtype === 'bool')
          feeds[input.name] = new Tensor(
            'bool',
            Uint8Array.from(t.data, (v) => (v > 0 ? 1 : 0)),
            t.dims,
          );
        else if (c.positive)
          feeds[input.name] = new Tensor(
            'float32',
            t.data.map((v) => Math.abs(v) + 0.1),
            t.dims,
          );
        else if (c.scale)
          feeds[input.name] = new Tensor(
            'float32',
            t.data.map((v) => Math.round(v * c.scale! * 2) / 2),
            t.dims,
          );
        else feeds[input.name] = t;
      });
      const [a, b] = await Promise.all([
        tfjs.createSession(model, { device }),
        ort.createSession(model, { device: 'cpu' }),
      ]);
      const got = (await a.run(feeds)).out as Tensor;
      const want = (await b.run(feeds)).out as Tensor;
      expect([...got.dims]).toEqual([...want.dims]);
      expect(maxAbsDifference(got.data as Float32Array, want.data as Float32Array)).toBeLessThanOrEqual(1e-4);
      await Promise.all([a.dispose(), b.dispose()]);
    });
  }

  // onnxruntime and ONNX's reference part ways here: ONNX's own test (resize_downsample_scales_linear_align_corners)
  // resizes 4 columns by 0.6 taking the resized length as 2.4, not ⌊2.4⌋ = 2, so column 1 samples x = 3 / 1.4;
  // onnxruntime 1.30 takes 2 and gives 4. The importer follows ONNX.
  it.each(['cpu', 'wasm'])(
    'Resize linear align_corners ×0.6 follows ONNX: the resized length is 2.4, not ⌊2.4⌋ (%s)',
    async (device) => {
      const model = buildOnnxModel({
        opset: 13,
        inputs: [f('x', [1, 1, 2, 4])],
        outputs: [{ name: 'out', dtype: 'float32', dims: [1, 1, 1, 2] }],
        nodes: [
          {
            op: 'Resize',
            inputs: ['x', '', 'scales'],
            outputs: ['out'],
            attributes: { mode: 'linear', coordinate_transformation_mode: 'align_corners' },
          },
        ],
        initializers: [{ name: 'scales', dtype: 'float32', dims: [4], data: Float32Array.from([1, 1, 0.6, 0.6]) }],
      });
      const session = await tfjs.createSession(model, { device });
      const out = (
        await session.run({ x: new Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [1, 1, 2, 4]) })
      ).out as Tensor;
      expect(maxAbsDifference(out.data as Float32Array, Float32Array.from([1, 1 + 3 / 1.4]))).toBeLessThan(1e-6);
      await session.dispose();
    },
  );

  it('covers every op the PP-OCR and classic CNN models use', () => {
    const needed = [
      'Add',
      'AveragePool',
      'BatchNormalization',
      'Cast',
      'Clip',
      'Concat',
      'Constant',
      'ConstantOfShape',
      'Conv',
      'ConvTranspose',
      'Div',
      'Dropout',
      'Gemm',
      'GlobalAveragePool',
      'HardSigmoid',
      'LRN',
      'MatMul',
      'MaxPool',
      'Mul',
      'Pow',
      'ReduceMean',
      'Relu',
      'Reshape',
      'Resize',
      'Shape',
      'Sigmoid',
      'Slice',
      'Softmax',
      'Sqrt',
      'Squeeze',
      'Sub',
      'Sum',
      'Transpose',
      'Unsqueeze',
    ];
    expect(needed.filter((op) => !SUPPORTED_OPS.includes(op))).toEqual([]);
  });
});
