import type { UnsupportedOp } from '@polyinfer/core';
import type { ModelSignature } from '@polyinfer/ort-common';

const COERCING_OPS = new Set(['Softmax', 'LogSoftmax', 'Hardmax']);

/**
 * Nodes onnxruntime-web's WebGPU kernels (1.30) compute wrongly, to be refused at load rather than answered. Before
 * opset 13, Softmax, LogSoftmax and Hardmax flatten their input to 2-D at `axis` (default 1) and normalise each row;
 * the WebGPU kernel normalises along `axis` alone. Seen in Chromium: opset 11 Softmax(axis=1) on [2, 5, 3] answers
 * opset 13's result, and SqueezeNet 1.0's final Softmax (on 1×1000×1×1) answers all ones. Both rules agree when axis
 * is the last one, so a node is refused when the model declares its input's or output's rank and axis is not the last
 * axis. A node whose rank the model does not declare is let through (no shape inference here): PP-OCR's recogniser has
 * such attention softmaxes, on their last axis, and WebGPU matches wasm on it.
 */
export function webgpuWrongForms(signature: ModelSignature): UnsupportedOp[] {
  const opset = signature.opsets.get('') ?? 0;
  return [...coercingSoftmaxes(signature, opset), ...poolForms(signature, opset)];
}

function coercingSoftmaxes(signature: ModelSignature, opset: number): UnsupportedOp[] {
  if (opset >= 13) return [];
  return signature.nodes
    .filter((n) => {
      if (!COERCING_OPS.has(n.opType) || (n.domain !== '' && n.domain !== 'ai.onnx')) return false;
      const rank = signature.ranks.get(n.inputs[0] ?? '') ?? signature.ranks.get(n.outputs[0] ?? '');
      const axis = n.ints.axis ?? 1;
      return rank !== undefined && axis !== -1 && axis !== rank - 1;
    })
    .map((n) => ({
      opType: n.opType,
      nodeName: n.name,
      domain: 'ai.onnx',
      opset,
      attribute: 'axis',
      value: n.ints.axis ?? 1,
    }));
}

/**
 * Pools the WebGPU kernels (1.30) do not compute as ONNX defines: a dilated MaxPool answers wrong values
 * (`maxpool_2d_dilations`: 6 where 11 is due, seen in Chromium), and ceil_mode fails at run ("ceil_mode kernel
 * execution … is not yet implemented"). Both are refused at load.
 */
function poolForms(signature: ModelSignature, opset: number): UnsupportedOp[] {
  return signature.nodes.flatMap((n): UnsupportedOp[] => {
    if ((n.opType !== 'MaxPool' && n.opType !== 'AveragePool') || (n.domain !== '' && n.domain !== 'ai.onnx'))
      return [];
    const op = { opType: n.opType, nodeName: n.name, domain: 'ai.onnx', opset };
    const dilations = n.intLists.dilations ?? [];
    if (n.opType === 'MaxPool' && dilations.some((d) => d !== 1))
      return [{ ...op, attribute: 'dilations', value: dilations.join(',') }];
    if ((n.ints.ceil_mode ?? 0) !== 0) return [{ ...op, attribute: 'ceil_mode', value: n.ints.ceil_mode ?? 0 }];
    return [];
  });
}
