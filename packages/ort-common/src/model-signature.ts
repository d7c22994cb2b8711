import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** What a load-failure message needs from a model: its inputs' and outputs' element types, its nodes' names and domains. */
/** A graph input or output: a tensor's element type (onnx.proto's number), or the kind of non-tensor value it is. */
export interface SignatureValue {
  name: string;
  kind: 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse tensor' | 'unknown';
  /** onnx.proto's TensorProto.DataType (0 when not a tensor or not stated). */
  elementType: number;
  /** A tensor's declared dims: numbers where fixed, names (or -1) where not. */
  dims: (number | string)[];
}

export interface ModelSignature {
  inputs: SignatureValue[];
  outputs: SignatureValue[];
  /** The top-level graph's nodes, with their integer attributes (a kernel that mishandles a form is refused by them). */
  nodes: {
    name: string;
    opType: string;
    domain: string;
    inputs: string[];
    outputs: string[];
    ints: Record<string, number>;
    intLists: Record<string, number[]>;
  }[];
  /** The rank of each value whose shape the model declares (graph inputs, outputs, value_info). */
  ranks: Map<string, number>;
  /** The opset version each domain is imported at ('' is ai.onnx). */
  opsets: Map<string, number>;
}

const long = (v: number | { toNumber(): number } | null | undefined): number =>
  typeof v === 'number' ? v : (v?.toNumber() ?? 0);

function kindOf(type: onnxProto.onnx.ITypeProto | null | undefined): SignatureValue['kind'] {
  if (type?.tensorType) return 'tensor';
  if (type?.sequenceType) return 'sequence';
  if (type?.mapType) return 'map';
  if (type?.optionalType) return 'optional';
  if (type?.sparseTensorType) return 'sparse tensor';
  return 'unknown';
}

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
  const dimOf = (d: onnxProto.onnx.TensorShapeProto.IDimension): number | string =>
    d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? long(d.dimValue) : -1;
  const valueOf = (v: onnxProto.onnx.IValueInfoProto): SignatureValue => ({
    name: v.name ?? '',
    kind: kindOf(v.type),
    elementType: v.type?.tensorType?.elemType ?? 0,
    dims: (v.type?.tensorType?.shape?.dim ?? []).map(dimOf),
  });
  return {
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(valueOf),
    outputs: (graph.output ?? []).map(valueOf),
    nodes: (graph.node ?? []).map((n) => ({
      name: n.name ?? '',
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      ints: Object.fromEntries(
        (n.attribute ?? [])
          .filter((a) => a.type === onnxProto.onnx.AttributeProto.AttributeType.INT)
          .map((a) => [a.name ?? '', long(a.i ?? 0)]),
      ),
      intLists: Object.fromEntries(
        (n.attribute ?? [])
          .filter((a) => a.type === onnxProto.onnx.AttributeProto.AttributeType.INTS)
          .map((a) => [a.name ?? '', (a.ints ?? []).map(long)]),
      ),
    })),
    ranks: new Map(
      [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])].flatMap((v) =>
        v.type?.tensorType?.shape ? [[v.name ?? '', v.type.tensorType.shape.dim?.length ?? 0] as [string, number]] : [],
      ),
    ),
    opsets: new Map(
      (model.opsetImport ?? []).map((o) => [o.domain === 'ai.onnx' ? '' : (o.domain ?? ''), long(o.version)]),
    ),
  };
}
