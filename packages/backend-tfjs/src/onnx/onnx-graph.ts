import onnxProto from 'onnx-proto';
import { ModelLoadError, onnxElementTypeName, UnsupportedDtypeError } from '@polyinfer/core';
import type { DataType, TensorInfo, UnsupportedDtype } from '@polyinfer/core';
import { TFJS_DTYPES } from '../tfjs-dtypes.js';

const { onnx } = onnxProto;

/** A tensor known at load time (initializer or Constant), kept on the host. */
export interface ConstTensor {
  dtype: 'float32' | 'int32' | 'int64' | 'uint8' | 'int8' | 'int16' | 'uint16' | 'bool' | 'float64';
  dims: number[];
  data: Float32Array | Int32Array | number[] | Uint8Array | Int8Array | Int16Array | Uint16Array | Float64Array;
  /** The element type as the model stores it (float64 is read into float32: the dtype check refuses it where it matters). */
  sourceDtype: string;
}

/** A tensor of an element type the importer does not read (float16, string…): refused as UNSUPPORTED_DTYPE. */
class UnreadTensor extends Error {
  constructor(
    readonly tensor: string,
    readonly dtype: string,
  ) {
    super(`tensor ${tensor} is ${dtype}`);
  }
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

const DTYPES: Record<number, ConstTensor['dtype']> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  11: 'float64',
};

function long(v: unknown): number {
  return typeof v === 'number' ? v : Number((v as { toString(): string }).toString());
}

export function constTensorOf(t: onnxProto.onnx.ITensorProto, where: string): ConstTensor {
  const dtype = DTYPES[t.dataType ?? 0];
  if (!dtype) throw new UnreadTensor(t.name ?? where, onnxElementTypeName(t.dataType ?? 0));
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
    throw new ModelLoadError(
      where,
      `tensor ${t.name ?? ''} keeps its data in an external file, which the tfjs importer does not read`,
    );
  const sourceDtype = onnxElementTypeName(t.dataType ?? 0);
  const dims = (t.dims ?? []).map(long);
  const c = constData(t, dtype, dims);
  return { ...c, sourceDtype };
}

function constData(
  t: onnxProto.onnx.ITensorProto,
  dtype: ConstTensor['dtype'],
  dims: number[],
): Omit<ConstTensor, 'sourceDtype'> {
  const size = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  switch (dtype) {
    case 'float32':
      return {
        dtype,
        dims,
        data: view
          ? Float32Array.from({ length: size }, (_, i) => view.getFloat32(i * 4, true))
          : Float32Array.from(t.floatData ?? []),
      };
    case 'float64':
      return {
        dtype: 'float32',
        dims,
        data: view
          ? Float32Array.from({ length: size }, (_, i) => view.getFloat64(i * 8, true))
          : Float32Array.from(t.doubleData ?? []),
      };
    case 'int64':
      return {
        dtype,
        dims,
        data: view
          ? Array.from({ length: size }, (_, i) => Number(view.getBigInt64(i * 8, true)))
          : (t.int64Data ?? []).map(long),
      };
    case 'int32':
      return {
        dtype,
        dims,
        data: view
          ? Int32Array.from({ length: size }, (_, i) => view.getInt32(i * 4, true))
          : Int32Array.from(t.int32Data ?? []),
      };
    case 'uint8':
    case 'bool':
      return { dtype, dims, data: raw ? Uint8Array.from(raw) : Uint8Array.from(t.int32Data ?? []) };
    case 'int8':
      return {
        dtype,
        dims,
        data: raw
          ? Int8Array.from(new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength))
          : Int8Array.from(t.int32Data ?? []),
      };
    case 'int16':
      return {
        dtype,
        dims,
        data: view
          ? Int16Array.from({ length: size }, (_, i) => view.getInt16(i * 2, true))
          : Int16Array.from(t.int32Data ?? []),
      };
    case 'uint16':
      return {
        dtype,
        dims,
        data: view
          ? Uint16Array.from({ length: size }, (_, i) => view.getUint16(i * 2, true))
          : Uint16Array.from(t.int32Data ?? []),
      };
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
    dtype: (tensorType
      ? onnxElementTypeName(tensorType.elemType ?? 1)
      : 'sequence, map or optional (not a tensor)') as DataType,
    dims: (tensorType?.shape?.dim ?? []).map((d) =>
      d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? long(d.dimValue) : -1,
    ),
  };
}

/** Reads an ONNX model into the importer's graph; `transform` may rewrite the decoded model first (simplification). */
export function parseOnnxGraph(
  bytes: Uint8Array,
  source: string,
  transform?: (model: onnxProto.onnx.ModelProto) => void,
): OnnxGraph {
  if (bytes.byteLength === 0) throw new ModelLoadError(source, 'the model is empty (0 bytes)');
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ModelLoadError(source, `not an ONNX model (${(error as Error).message})`, error);
  }
  if (!model.graph || !model.graph.node || model.graph.node.length === 0)
    throw new ModelLoadError(source, 'not an ONNX model (no graph or no nodes)');
  transform?.(model);
  const graph = model.graph as onnxProto.onnx.GraphProto;
  const opset = Math.max(
    ...(model.opsetImport ?? []).filter((o) => !o.domain || o.domain === 'ai.onnx').map((o) => long(o.version ?? 0)),
    0,
  );
  // Tensors of element types the importer does not read are gathered and refused together, by name.
  const unread: UnsupportedDtype[] = [];
  const read = <T>(role: UnsupportedDtype['role'], f: () => T, node?: string): T | undefined => {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof UnreadTensor)) throw error;
      unread.push({ tensor: error.tensor, role, dtype: error.dtype, ...(node ? { node } : {}) });
      return undefined;
    }
  };
  const initializers = new Map<string, ConstTensor>();
  for (const t of graph.initializer ?? []) {
    const c = read('initializer', () => constTensorOf(t, source));
    if (c) initializers.set(t.name ?? '', c);
  }
  const nodes = graph.node.map((n, i) => {
    const name = n.name || `${n.opType}_${i}`;
    const attributes = new Map<string, AttributeValue>();
    for (const a of n.attribute ?? [])
      attributes.set(
        a.name ?? '',
        read('intermediate', () => attributeOf(a, source), name),
      );
    return {
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      name,
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attributes,
    };
  });
  if (unread.length > 0) throw new UnsupportedDtypeError('tfjs', unread, TFJS_DTYPES);
  return {
    opset,
    // Old models list initializers among the inputs too: those are constants, not feeds.
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(infoOf),
    outputs: (graph.output ?? []).map(infoOf),
    initializers,
    nodes,
  };
}
