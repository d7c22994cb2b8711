import { onnxElementTypeName } from '@polyinfer/core';
import type { OnnxGraph, OnnxNode } from './onnx-graph.js';

/** Ops whose outputs are bool whatever their inputs. */
const BOOL_OPS = new Set([
  'Equal',
  'Greater',
  'Less',
  'GreaterOrEqual',
  'LessOrEqual',
  'And',
  'Or',
  'Xor',
  'Not',
  'IsNaN',
  'IsInf',
]);
/** Ops whose (first) output is int64 whatever their inputs. */
const INT64_OPS = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero']);

/** The dtype of output `index` of a node, from its inputs' dtypes and its attributes (ONNX's type rules, the subset that matters). */
function outputDtype(
  node: OnnxNode,
  index: number,
  dtypeOf: (name: string | undefined) => string | undefined,
): string | undefined {
  const to = node.attributes.get('to');
  switch (node.opType) {
    case 'Cast':
    case 'BitCast':
      return typeof to === 'number' ? onnxElementTypeName(to) : undefined;
    case 'CastLike':
      return dtypeOf(node.inputs[1]);
    case 'Constant':
    case 'ConstantOfShape': {
      const value = node.attributes.get('value');
      if (value && typeof value === 'object' && !Array.isArray(value)) return value.sourceDtype;
      if (node.opType === 'ConstantOfShape') return 'float32';
      if (node.attributes.has('value_float') || node.attributes.has('value_floats')) return 'float32';
      if (node.attributes.has('value_int') || node.attributes.has('value_ints')) return 'int64';
      return undefined;
    }
    case 'Where':
      return dtypeOf(node.inputs[1]);
    case 'OneHot':
      return dtypeOf(node.inputs[2]);
    case 'EyeLike': {
      const dtype = node.attributes.get('dtype');
      return typeof dtype === 'number' ? onnxElementTypeName(dtype) : dtypeOf(node.inputs[0]);
    }
    case 'TopK':
    case 'MaxPool':
      return index === 1 ? 'int64' : dtypeOf(node.inputs[0]);
    case 'Unique':
      return index === 0 ? dtypeOf(node.inputs[0]) : 'int64';
    case 'NonMaxSuppression':
      return 'int64';
    case 'Dropout':
      return index === 1 ? 'bool' : dtypeOf(node.inputs[0]);
    case 'DequantizeLinear':
      return dtypeOf(node.inputs[1]);
    case 'QuantizeLinear':
      return typeof node.attributes.get('output_dtype') === 'number' && node.attributes.get('output_dtype') !== 0
        ? onnxElementTypeName(node.attributes.get('output_dtype') as number)
        : (dtypeOf(node.inputs[2]) ?? 'uint8');
    case 'HannWindow':
    case 'HammingWindow':
    case 'BlackmanWindow':
      return onnxElementTypeName((node.attributes.get('output_datatype') as number | undefined) ?? 1);
    default:
      if (BOOL_OPS.has(node.opType)) return 'bool';
      if (INT64_OPS.has(node.opType) && index === 0) return 'int64';
      return dtypeOf(node.inputs.find((name) => name !== ''));
  }
}

/**
 * The element type of every value of the graph, as ONNX's rules give it: declared for inputs, read from initializers
 * and Constants, followed through the nodes. A graph output's declared type wins over the inference. Values whose
 * type the rules here do not know are left out (the kernels then see only what tfjs holds).
 */
export function inferDtypes(graph: OnnxGraph, order: readonly OnnxNode[]): Map<string, string> {
  const dtypes = new Map<string, string>();
  for (const v of graph.inputs) dtypes.set(v.name, v.dtype);
  for (const [name, c] of graph.initializers) dtypes.set(name, c.sourceDtype);
  const dtypeOf = (name: string | undefined): string | undefined => (name ? dtypes.get(name) : undefined);
  for (const node of order) {
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const dtype = outputDtype(node, i, dtypeOf);
      if (dtype !== undefined) dtypes.set(name, dtype);
    });
  }
  for (const v of graph.outputs) if (!v.dtype.startsWith('sequence')) dtypes.set(v.name, v.dtype);
  return dtypes;
}
