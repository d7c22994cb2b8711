import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** What a load-failure message needs from a model: its inputs' and outputs' element types, its nodes' names and domains. */
export interface ModelSignature {
  inputs: { name: string; elementType: number }[];
  outputs: { name: string; elementType: number }[];
  nodes: { name: string; opType: string; domain: string }[];
  /** The opset version each domain is imported at ('' is ai.onnx). */
  opsets: Map<string, number>;
}

const long = (v: number | { toNumber(): number } | null | undefined): number => (typeof v === 'number' ? v : (v?.toNumber() ?? 0));

/** The signature of ONNX model bytes, or undefined when they do not decode (the runtime's own message then stands). */
export function readModelSignature(bytes: Uint8Array): ModelSignature | undefined {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    return undefined;
  }
  const graph = model.graph;
  if (!graph) return undefined;
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const valueOf = (v: onnxProto.onnx.IValueInfoProto): { name: string; elementType: number } => ({ name: v.name ?? '', elementType: v.type?.tensorType?.elemType ?? 0 });
  return {
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(valueOf),
    outputs: (graph.output ?? []).map(valueOf),
    nodes: (graph.node ?? []).map((n) => ({ name: n.name ?? '', opType: n.opType ?? '', domain: n.domain ?? '' })),
    opsets: new Map((model.opsetImport ?? []).map((o) => [o.domain === 'ai.onnx' ? '' : (o.domain ?? ''), long(o.version)])),
  };
}
