import type { OnnxGraph, OnnxNode } from './onnx-graph.js';

/** The activations tfjs' fused convolutions apply in the same kernel (tf.fused.conv2d / depthwiseConv2d). */
export type FusedActivation =
  { kind: 'relu' } | { kind: 'relu6' } | { kind: 'sigmoid' } | { kind: 'leakyrelu'; alpha: number };

/** Where the fused activation of a Conv is kept, as an attribute the importer alone writes. */
export const FUSED_ACTIVATION = 'polyinfer.fused_activation';

function scalarConstant(graph: OnnxGraph, name: string | undefined): number | undefined {
  const c = name ? graph.initializers.get(name) : undefined;
  return c && c.data.length === 1 ? Number(c.data[0]) : undefined;
}

function activationOf(graph: OnnxGraph, node: OnnxNode): FusedActivation | undefined {
  if (node.domain && node.domain !== 'ai.onnx') return undefined;
  if (node.opType === 'Relu') return { kind: 'relu' };
  if (node.opType === 'Sigmoid') return { kind: 'sigmoid' };
  if (node.opType === 'LeakyRelu')
    return { kind: 'leakyrelu', alpha: (node.attributes.get('alpha') as number | undefined) ?? 0.01 };
  if (node.opType === 'Clip') {
    const min =
      graph.opset < 11 ? (node.attributes.get('min') as number | undefined) : scalarConstant(graph, node.inputs[1]);
    const max =
      graph.opset < 11 ? (node.attributes.get('max') as number | undefined) : scalarConstant(graph, node.inputs[2]);
    if (min === 0 && max === 6) return { kind: 'relu6' };
    if (
      min === 0 &&
      (max === undefined || max >= 3.4e38) &&
      (graph.opset < 11 ? true : node.inputs[2] === undefined || node.inputs[2] === '')
    )
      return { kind: 'relu' };
  }
  return undefined;
}

/**
 * Conv → activation pairs become one Conv that applies the activation in its kernel (one pass over the output
 * instead of two): the activation node goes, the Conv takes its output name. Only when the Conv's output has that
 * one reader and is no graph output. Returns how many were fused.
 */
export function fuseConvActivations(graph: OnnxGraph): number {
  const readers = new Map<string, OnnxNode[]>();
  for (const n of graph.nodes) for (const i of n.inputs) if (i) readers.set(i, [...(readers.get(i) ?? []), n]);
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const removed = new Set<OnnxNode>();
  for (const conv of graph.nodes) {
    if (conv.opType !== 'Conv' || (conv.domain && conv.domain !== 'ai.onnx')) continue;
    const y = conv.outputs[0] as string;
    const next = readers.get(y);
    if (!next || next.length !== 1 || outputs.has(y)) continue;
    const activation = activationOf(graph, next[0] as OnnxNode);
    if (!activation) continue;
    conv.attributes.set(FUSED_ACTIVATION, JSON.stringify(activation));
    conv.outputs = [...(next[0] as OnnxNode).outputs.slice(0, 1)];
    removed.add(next[0] as OnnxNode);
  }
  graph.nodes = graph.nodes.filter((n) => !removed.has(n));
  return removed.size;
}
