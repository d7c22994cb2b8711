import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.GraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

const { DataType } = onnx.TensorProto;

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

export function graphOf(model: ModelProto): GraphProto {
  return model.graph as GraphProto;
}

/** The version of the default (ai.onnx) operator set the model imports. */
export function onnxOpset(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry ? Number(entry.version) : 0;
}

export function setOnnxOpset(model: ModelProto, version: number): void {
  const entry = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (entry) entry.version = version;
  else model.opsetImport.push(onnx.OperatorSetIdProto.create({ domain: '', version }));
}

export function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function dropAttribute(node: NodeProto, name: string): void {
  node.attribute = (node.attribute ?? []).filter((a) => a.name !== name);
}

export function ints(attr: AttributeProto | undefined): number[] {
  return (attr?.ints ?? []).map((v) => Number(v.toString()));
}

/** A float32 tensor's values, from raw bytes or float_data (a copy, aligned). */
export function floatValues(tensor: TensorProto): Float32Array {
  if (tensor.dataType !== DataType.FLOAT)
    throw new TypeError(`tensor ${tensor.name} is not float32 (data type ${tensor.dataType})`);
  const raw = tensor.rawData;
  // Copied into a buffer of its own (aligned, and not the pool a Node Buffer view shares): the typed-array
  // constructor copies in one go, where Uint8Array.from iterates element by element (minutes for VGG19's 548 MB).
  if (raw && raw.length > 0) return new Float32Array(new Uint8Array(raw).buffer);
  return Float32Array.from(tensor.floatData ?? []);
}

export function dimsOf(tensor: TensorProto): number[] {
  return (tensor.dims ?? []).map((d) => Number(d.toString()));
}

const bytesOf = (view: ArrayBufferView): Uint8Array =>
  new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();

export function floatTensor(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.FLOAT, rawData: bytesOf(values) });
}

export function int8Tensor(name: string, dims: readonly number[], values: Int8Array): TensorProto {
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.INT8, rawData: bytesOf(values) });
}

export function uint8Tensor(name: string, dims: readonly number[], values: Uint8Array): TensorProto {
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.UINT8, rawData: bytesOf(values) });
}

export function int32Tensor(name: string, dims: readonly number[], values: Int32Array): TensorProto {
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.INT32, rawData: bytesOf(values) });
}

export function int64Tensor(name: string, values: readonly number[]): TensorProto {
  return onnx.TensorProto.create({
    name,
    dims: [values.length],
    dataType: DataType.INT64,
    rawData: bytesOf(BigInt64Array.from(values.map(BigInt))),
  });
}

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attributes: AttributeProto[] = [],
): NodeProto {
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, attribute: attributes });
}

export function intAttribute(name: string, value: number): AttributeProto {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
}

/**
 * Moves every Constant node that holds a tensor into the graph's initializers (exporters such as paddle2onnx write
 * weights as Constant nodes): the quantiser finds weights in one place, and onnxruntime treats both alike.
 */
export function constantsToInitializers(graph: GraphProto): number {
  let moved = 0;
  graph.node = graph.node.filter((n) => {
    const value =
      n.opType === 'Constant' && (!n.domain || n.domain === 'ai.onnx') ? attribute(n, 'value')?.t : undefined;
    if (!value || (n.attribute ?? []).length !== 1) return true;
    graph.initializer.push(onnx.TensorProto.create({ ...value, name: (n.output ?? [])[0] as string }));
    moved++;
    return false;
  });
  return moved;
}
