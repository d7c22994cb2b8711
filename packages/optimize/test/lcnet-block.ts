import type { NodeSpec, TensorSpec } from '@polyinfer/core';
import { buildOnnxModel } from '@polyinfer/core';
import { seededRandom } from '@polyinfer/core/testing';

type Init = TensorSpec<'float32'> & { name: string };

/**
 * A small PP-LCNet-style network at opset 9, written the way paddle2onnx writes it: convolutions followed by scalar
 * and per-channel affine maps and a batch norm, hard-swish spelled out in four ops (Clip bounds as attributes), an
 * affine map before a padded depthwise convolution (which must not be folded), a Slice/Squeeze with attribute
 * inputs, and a MatMul + Softmax head.
 */
export function lcnetBlock(seed = 7): Uint8Array {
  const random = seededRandom(seed);
  const values = (n: number, scale: number, offset = 0): Float32Array =>
    Float32Array.from({ length: n }, () => offset + (random() * 2 - 1) * scale);
  const inits: Init[] = [];
  const init = (name: string, dims: number[], data: Float32Array): string => {
    inits.push({ name, dtype: 'float32', dims, data });
    return name;
  };
  const scalar = (name: string, v: number): string => init(name, [], Float32Array.of(v));
  const hardSwish = (x: string, y: string): NodeSpec[] => [
    { op: 'Add', inputs: [x, scalar(`${y}_three`, 3)], outputs: [`${y}_plus3`] },
    { op: 'Clip', inputs: [`${y}_plus3`], outputs: [`${y}_clip`], attributes: { min: { f: 0 }, max: { f: 6 } } },
    { op: 'Mul', inputs: [x, `${y}_clip`], outputs: [`${y}_mul`] },
    { op: 'Div', inputs: [`${y}_mul`, scalar(`${y}_six`, 6)], outputs: [y] },
  ];
  const nodes: NodeSpec[] = [
    {
      op: 'Conv',
      inputs: ['x', init('w1', [8, 3, 3, 3], values(216, 0.4)), init('b1', [8], values(8, 0.1))],
      outputs: ['c1'],
      attributes: { pads: [1, 1, 1, 1], kernel_shape: [3, 3] },
    },
    { op: 'Mul', inputs: [scalar('s1', 1.7), 'c1'], outputs: ['m1'] },
    { op: 'Add', inputs: ['m1', scalar('t1', 0.3)], outputs: ['a1'] },
    ...hardSwish('a1', 'h1'),
    { op: 'Mul', inputs: [scalar('s2', 0.6), 'h1'], outputs: ['m2'] },
    { op: 'Add', inputs: ['m2', scalar('t2', -0.2)], outputs: ['a2'] },
    { op: 'Conv', inputs: ['a2', init('w2', [8, 8, 1, 1], values(64, 0.5))], outputs: ['c2'] },
    {
      op: 'BatchNormalization',
      inputs: [
        'c2',
        init('g', [8], values(8, 0.3, 1)),
        init('beta', [8], values(8, 0.2)),
        init('mean', [8], values(8, 0.2)),
        init('var', [8], values(8, 0.2, 0.8)),
      ],
      outputs: ['bn'],
      attributes: { epsilon: { f: 1e-5 } },
    },
    { op: 'Mul', inputs: ['bn', init('s3', [1, 8, 1, 1], values(8, 0.5, 1))], outputs: ['m3'] },
    { op: 'Add', inputs: ['m3', scalar('t3', 0.25)], outputs: ['a3'] },
    ...hardSwish('a3', 'h3'),
    { op: 'Mul', inputs: ['h3', scalar('s4', 1.3)], outputs: ['m4'] },
    { op: 'Add', inputs: ['m4', scalar('t4', 0.5)], outputs: ['a4'] },
    // Padded depthwise: the shift must stay outside (zero padding would otherwise see it).
    {
      op: 'Conv',
      inputs: ['a4', init('w5', [8, 1, 3, 3], values(72, 0.5))],
      outputs: ['c5'],
      attributes: { pads: [1, 1, 1, 1], group: 8, kernel_shape: [3, 3] },
    },
    { op: 'GlobalAveragePool', inputs: ['c5'], outputs: ['pool'] },
    { op: 'Squeeze', inputs: ['pool'], outputs: ['flat'], attributes: { axes: [2, 3] } },
    { op: 'Slice', inputs: ['flat'], outputs: ['sliced'], attributes: { starts: [0], ends: [8], axes: [1] } },
    { op: 'MatMul', inputs: ['sliced', init('head', [8, 5], values(40, 0.8))], outputs: ['logits'] },
    { op: 'Softmax', inputs: ['logits'], outputs: ['probs'], attributes: { axis: 1 } },
  ];
  return buildOnnxModel({
    opset: 9,
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 16, 16] }],
    outputs: [
      { name: 'probs', dtype: 'float32', dims: [1, 5] },
      { name: 'c5', dtype: 'float32', dims: [1, 8, 16, 16] },
    ],
    nodes,
    initializers: inits,
  });
}
