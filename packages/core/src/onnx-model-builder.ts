import type { DataType, TensorDataMap } from './tensor.js';
import { packFourBit } from './four-bit-packing.js';
import { ONNX_ELEMENT_TYPE } from './onnx-element-types.js';

/**
 * Writes small ONNX models from a description, so tests, examples and probes can make the models they need instead
 * of downloading any. It covers the part of onnx.proto that such graphs use (ModelProto, GraphProto, NodeProto,
 * AttributeProto, ValueInfoProto, TensorProto with raw_data); it is a writer only.
 */

export interface ValueSpec {
  name: string;
  dtype: DataType;
  /** Numbers for fixed dims, strings for symbolic ones. */
  dims: readonly (number | string)[];
}

export interface TensorSpec<T extends DataType = DataType> {
  name?: string;
  dtype: T;
  dims: readonly number[];
  data: TensorDataMap[T];
}

/** int → INT, number[] → INTS, string → STRING, {f} → FLOAT, {floats} → FLOATS, {tensor} → TENSOR. */
export type AttributeValue =
  number | readonly number[] | string | { f: number } | { floats: readonly number[] } | { tensor: TensorSpec };

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface ModelSpec {
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  nodes: readonly NodeSpec[];
  initializers?: readonly (TensorSpec & { name: string })[];
  opset?: number;
  irVersion?: number;
  graphName?: string;
}

class ProtoWriter {
  readonly #chunks: number[] = [];

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v > 0x7fn) {
      this.#chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#chunks.push(Number(v));
    return this;
  }

  #tag(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    return this.#tag(field, 0).varint(value);
  }

  float(field: number, value: number): this {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    this.#tag(field, 5);
    this.#chunks.push(...bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, 2).varint(value.length);
    for (const b of value) this.#chunks.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  packedFloats(field: number, values: readonly number[]): this {
    return this.bytes(field, new Uint8Array(new Float32Array(values).buffer));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#chunks);
  }
}

function writeTensor(w: ProtoWriter, tensor: TensorSpec): void {
  w.packedInts(1, tensor.dims);
  w.int(2, ONNX_ELEMENT_TYPE[tensor.dtype]);
  if (tensor.name) w.string(8, tensor.name);
  const data = tensor.data;
  if (Array.isArray(data)) {
    for (const s of data) w.string(6, s);
  } else if (tensor.dtype === 'int4' || tensor.dtype === 'uint4') {
    w.bytes(9, packFourBit(data as Int8Array | Uint8Array));
  } else {
    w.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
}

function writeValueInfo(w: ProtoWriter, value: ValueSpec): void {
  w.string(1, value.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, ONNX_ELEMENT_TYPE[value.dtype]);
      tensorType.message(2, (shape) => {
        for (const dim of value.dims) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === 'number') w.int(3, value).int(20, 2);
  else if (typeof value === 'string') w.string(4, value).int(20, 3);
  else if (Array.isArray(value)) w.packedInts(8, value as readonly number[]).int(20, 7);
  else if ('f' in value) w.float(2, value.f).int(20, 1);
  else if ('floats' in value) w.packedFloats(7, value.floats).int(20, 6);
  else if ('tensor' in value) w.message(5, (t) => writeTensor(t, value.tensor)).int(20, 4);
}

export function buildOnnxModel(spec: ModelSpec): Uint8Array {
  const model = new ProtoWriter();
  model.int(1, spec.irVersion ?? 8);
  model.string(2, 'polyinfer-onnx-model-builder');
  model.message(7, (graph) => {
    spec.nodes.forEach((node, index) =>
      graph.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        n.string(3, node.name ?? `${node.op.toLowerCase()}_${index}`);
        n.string(4, node.op);
        for (const [name, value] of Object.entries(node.attributes ?? {}))
          n.message(5, (a) => writeAttribute(a, name, value));
        if (node.domain) n.string(7, node.domain);
      }),
    );
    graph.string(2, spec.graphName ?? 'graph');
    for (const init of spec.initializers ?? []) graph.message(5, (t) => writeTensor(t, init));
    for (const input of spec.inputs) graph.message(11, (v) => writeValueInfo(v, input));
    for (const output of spec.outputs) graph.message(12, (v) => writeValueInfo(v, output));
  });
  model.message(8, (opset) => opset.string(1, '').int(2, spec.opset ?? 13));
  return model.finish();
}
