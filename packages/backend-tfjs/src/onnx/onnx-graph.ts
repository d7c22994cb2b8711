import onnxProto from 'onnx-proto';
import { ModelLoadError, onnxElementTypeName } from '@polyinfer/core';
import type { DataType, TensorInfo } from '@polyinfer/core';

const { onnx } = onnxProto;

/** A tensor known at load time (initializer or Constant), kept on the host. */
export interface ConstTensor {
  dtype: 'float32' | 'int32' | 'int64' | 'uint8' | 'int8' | 'bool' | 'float64';
  dims: number[];
  data: Float32Array | Int32Array | number[] | Uint8Array | Int8Array | Float64Array;
}

export type AttributeValue = number | number[] | string | ConstTensor | undefined;

export interface OnnxNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, AttributeValue>;
}

export interface OnnxGraph {
  opset: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  initializers: Map<string, ConstTensor>;
  nodes: OnnxNode[];
}

const DTYPES: Record<number, ConstTensor['dtype']> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 9: 'bool', 11: 'float64' };

function long(v: unknown): number {
  return typeof v === 'number' ? v : Number((v as { toString(): string }).toString());
}

export function constTensorOf(t: onnxProto.onnx.ITensorProto, where: string): ConstTensor {
  const dtype = DTYPES[t.dataType ?? 0];
  if (!dtype) throw new ModelLoadError(where, `tensor ${t.name ?? ''} has ONNX data type ${t.dataType}, which the tfjs importer does not read`);
  const dims = (t.dims ?? []).map(long);
  const size = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  switch (dtype) {
    case 'float32':
      return { dtype, dims, data: view ? Float32Array.from({ length: size }, (_, i) => view.getFloat32(i * 4, true)) : Float32Array.from(t.floatData ?? []) };
    case 'float64':
      return { dtype: 'float32', dims, data: view ? Float32Array.from({ length: size }, (_, i) => view.getFloat64(i * 8, true)) : Float32Array.from(t.doubleData ?? []) };
    case 'int64':
      return { dtype, dims, data: view ? Array.from({ length: size }, (_, i) => Number(view.getBigInt64(i * 8, true))) : (t.int64Data ?? []).map(long) };
    case 'int32':
      return { dtype, dims, data: view ? Int32Array.from({ length: size }, (_, i) => view.getInt32(i * 4, true)) : Int32Array.from(t.int32Data ?? []) };
    case 'uint8':
    case 'bool':
      return { dtype, dims, data: raw ? Uint8Array.from(raw) : Uint8Array.from(t.int32Data ?? []) };
    case 'int8':
      return { dtype, dims, data: raw ? Int8Array.from(new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength)) : Int8Array.from(t.int32Data ?? []) };
  }
}

function attributeOf(a: onnxProto.onnx.IAttributeProto, where: string): AttributeValue {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT:
      return a.f ?? 0;
    case T.INT:
      return long(a.i ?? 0);
    case T.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.TENSOR:
      return a.t ? constTensorOf(a.t, where) : undefined;
    case T.FLOATS:
      return [...(a.floats ?? [])];
    case T.INTS:
      return (a.ints ?? []).map(long);
    default:
      return undefined;
  }
}

function infoOf(v: onnxProto.onnx.IValueInfoProto): TensorInfo {
  const tensorType = v.type?.tensorType;
  return {
    name: v.name ?? '',
    // Named as it is (float64, uint16, a sequence…): the backend's dtype check refuses at load what tfjs does not run.
    dtype: (tensorType ? onnxElementTypeName(tensorType.elemType ?? 1) : 'sequence, map or optional (not a tensor)') as DataType,
    dims: (tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? long(d.dimValue) : -1)),
  };
}

/** Decodes ONNX bytes into the importer's graph. Malformed bytes become MODEL_LOAD_FAILED. */
/** Reads an ONNX model into the importer's graph; `transform` may rewrite the decoded model first (simplification). */
export function parseOnnxGraph(bytes: Uint8Array, source: string, transform?: (model: onnxProto.onnx.ModelProto) => void): OnnxGraph {
  if (bytes.byteLength === 0) throw new ModelLoadError(source, 'the model is empty (0 bytes)');
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ModelLoadError(source, `not an ONNX model (${(error as Error).message})`, error);
  }
  if (!model.graph || !model.graph.node || model.graph.node.length === 0) throw new ModelLoadError(source, 'not an ONNX model (no graph or no nodes)');
  transform?.(model);
  const graph = model.graph as onnxProto.onnx.GraphProto;
  const opset = Math.max(...(model.opsetImport ?? []).filter((o) => !o.domain || o.domain === 'ai.onnx').map((o) => long(o.version ?? 0)), 0);
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', constTensorOf(t, source)]));
  return {
    opset,
    // Old models list initializers among the inputs too: those are constants, not feeds.
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(infoOf),
    outputs: (graph.output ?? []).map(infoOf),
    initializers,
    nodes: graph.node.map((n, i) => ({
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      name: n.name || `${n.opType}_${i}`,
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attributes: new Map((n.attribute ?? []).map((a) => [a.name ?? '', attributeOf(a, source)])),
    })),
  };
}
