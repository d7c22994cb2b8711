import { buildOnnxModel } from '@polyinfer/core';

export const COLOUR_LABELS = ['red', 'green', 'blue'] as const;

/**
 * A tiny but real ONNX classifier, written by polyinfer's model builder (no download): a 1×1 convolution whose three
 * filters each answer "how much more of my colour than of the others", averaged over the image, scaled, softmaxed.
 * Input [1, 3, 32, 32] RGB in 0–1, output [1, 3] probabilities.
 */
export function colourClassifierModel(): Uint8Array {
  // One filter per class: +1 on its channel, −0.5 on the others.
  const weights = Float32Array.from([1, -0.5, -0.5, -0.5, 1, -0.5, -0.5, -0.5, 1]);
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'image', dtype: 'float32', dims: [1, 3, 32, 32] }],
    outputs: [{ name: 'probs', dtype: 'float32', dims: [1, 3] }],
    initializers: [
      { name: 'filters', dtype: 'float32', dims: [3, 3, 1, 1], data: weights },
      { name: 'flat', dtype: 'int64', dims: [2], data: BigInt64Array.from([1n, 3n]) },
      { name: 'sharpness', dtype: 'float32', dims: [1], data: Float32Array.from([8]) },
    ],
    nodes: [
      { op: 'Conv', inputs: ['image', 'filters'], outputs: ['scores'] },
      { op: 'GlobalAveragePool', inputs: ['scores'], outputs: ['pooled'] },
      { op: 'Reshape', inputs: ['pooled', 'flat'], outputs: ['logits'] },
      { op: 'Mul', inputs: ['logits', 'sharpness'], outputs: ['sharpened'] },
      { op: 'Softmax', inputs: ['sharpened'], outputs: ['probs'], attributes: { axis: 1 } },
    ],
  });
}
