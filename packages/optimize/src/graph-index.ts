import type { GraphProto, NodeProto, TensorProto } from './onnx-model.js';
import { dimsOf, floatValues, onnx } from './onnx-model.js';

/** Who produces and who reads each tensor of a graph, and its constant values; rebuilt after each rewrite. */
export class GraphIndex {
  readonly producer = new Map<string, NodeProto>();
  readonly consumers = new Map<string, NodeProto[]>();
  readonly initializers = new Map<string, TensorProto>();
  readonly outputs: Set<string>;

  constructor(readonly graph: GraphProto) {
    for (const t of graph.initializer) this.initializers.set(t.name as string, t);
    for (const n of graph.node) {
      for (const o of n.output ?? []) this.producer.set(o, n);
      for (const i of n.input ?? []) if (i) this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
    }
    this.outputs = new Set(graph.output.map((o) => o.name as string));
  }

  /** The one node that reads `tensor`, when exactly one does and it is not also a graph output. */
  soleConsumer(tensor: string): NodeProto | undefined {
    const readers = this.consumers.get(tensor) ?? [];
    return readers.length === 1 && !this.outputs.has(tensor) ? readers[0] : undefined;
  }

  /** A float constant's values and dims, if `name` is a float initializer. */
  floatConstant(name: string | undefined): { values: Float32Array; dims: number[] } | undefined {
    const t = name === undefined ? undefined : this.initializers.get(name);
    if (!t || t.dataType !== onnx.TensorProto.DataType.FLOAT) return undefined;
    return { values: floatValues(t), dims: dimsOf(t) };
  }

  isOp(n: NodeProto | undefined, opType: string): n is NodeProto {
    return n !== undefined && n.opType === opType && (!n.domain || n.domain === 'ai.onnx');
  }
}

/** Drops nodes whose outputs nobody reads (and that are no graph output), then initializers nobody reads. */
export function pruneUnused(graph: GraphProto): void {
  const outputs = new Set(graph.output.map((o) => o.name as string));
  let changed = true;
  while (changed) {
    const read = new Set(graph.node.flatMap((n) => n.input ?? []));
    const before = graph.node.length;
    graph.node = graph.node.filter((n) => (n.output ?? []).some((o) => read.has(o) || outputs.has(o)));
    changed = graph.node.length !== before;
  }
  // Old models list initializers among the graph inputs too (as overridable defaults): those stay, as do initializers
  // that are graph outputs themselves (a Constant moved into the initializers, answering an output directly).
  const read = new Set([
    ...graph.node.flatMap((n) => n.input ?? []),
    ...graph.input.map((i) => i.name as string),
    ...outputs,
  ]);
  graph.initializer = graph.initializer.filter((t) => read.has(t.name as string));
}

/**
 * Per-channel values of a constant that broadcasts against a tensor of `rank` with `channels` on axis 1
 * (a scalar, or 1s everywhere but the channel axis): one value per channel, else undefined.
 */
export function perChannel(
  constant: { values: Float32Array; dims: number[] },
  rank: number,
  channels: number,
): Float32Array | undefined {
  const { values, dims } = constant;
  if (values.length === 1) return new Float32Array(channels).fill(values[0] as number);
  if (dims.length > rank || values.length !== channels) return undefined;
  // Right-aligned against [N, C, spatial…]: the one non-1 dim must sit on axis 1.
  const channelAxis = dims.length - (rank - 1);
  return dims.every((d, i) => (i === channelAxis ? d === channels : d === 1)) ? values : undefined;
}
