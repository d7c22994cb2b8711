import type { NodeSpec } from '@polyinfer/core';
import { buildOnnxModel } from '@polyinfer/core';

export interface MeanColourClassifierSpec {
  /** Input height and width (default 32). */
  size?: number;
  /** NCHW (default) or channels-last NHWC, as TensorFlow exports. */
  layout?: 'nchw' | 'nhwc';
  /** End in a Softmax (probabilities out) rather than logits. */
  softmax?: boolean;
  /** Logits are the channel means times this (default 1). */
  sharpness?: number;
}

/**
 * A three-class image classifier whose logits are the mean of each input channel (times `sharpness`): class 0 is the
 * reddest image, 1 the greenest, 2 the bluest, and the exact probabilities follow from the input by hand — so a test
 * can check resizing, cropping, normalisation and layout through the scores.
 */
export function buildMeanColourClassifier(spec: MeanColourClassifierSpec = {}): Uint8Array {
  const size = spec.size ?? 32;
  const nhwc = spec.layout === 'nhwc';
  const nodes: NodeSpec[] = [
    ...(nhwc ? [{ op: 'Transpose', inputs: ['image'], outputs: ['planes'], attributes: { perm: [0, 3, 1, 2] } }] : []),
    { op: 'GlobalAveragePool', inputs: [nhwc ? 'planes' : 'image'], outputs: ['pooled'] },
    { op: 'Reshape', inputs: ['pooled', 'flat'], outputs: ['means'] },
    { op: 'Mul', inputs: ['means', 'sharpness'], outputs: ['logits'] },
    ...(spec.softmax
      ? [{ op: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], attributes: { axis: 1 } }]
      : []),
  ];
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'image', dtype: 'float32', dims: nhwc ? [1, size, size, 3] : [1, 3, size, size] }],
    outputs: [{ name: spec.softmax ? 'probabilities' : 'logits', dtype: 'float32', dims: [1, 3] }],
    initializers: [
      { name: 'flat', dtype: 'int64', dims: [2], data: BigInt64Array.from([1n, 3n]) },
      { name: 'sharpness', dtype: 'float32', dims: [], data: Float32Array.from([spec.sharpness ?? 1]) },
    ],
    nodes,
  });
}
