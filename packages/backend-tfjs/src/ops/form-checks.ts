import type { AttributeValue, ConstTensor, OnnxNode } from '../onnx/onnx-graph.js';
import type { LoadView, UnsupportedForm } from './op-context.js';

/** Helpers for the load-time form checks (OpSpec.refuse) of the op files. */

export const attributeOf = (node: OnnxNode, name: string): AttributeValue => node.attributes.get(name);

/** A string attribute outside the values a kernel implements. */
export function oneOf(
  node: OnnxNode,
  name: string,
  fallback: string,
  allowed: readonly string[],
): UnsupportedForm | undefined {
  const value = (attributeOf(node, name) as string | undefined) ?? fallback;
  return allowed.includes(value) ? undefined : { attribute: name, value };
}

/** An ints attribute with an entry other than 1 (strides, dilations). */
export function allOnes(node: OnnxNode, name: string): UnsupportedForm | undefined {
  const value = attributeOf(node, name);
  return Array.isArray(value) && value.some((v) => v !== 1) ? { attribute: name, value: value.join(',') } : undefined;
}

/** An int attribute that is set to something other than its default. */
export function notDefault(node: OnnxNode, name: string, fallback: number): UnsupportedForm | undefined {
  const value = attributeOf(node, name);
  return typeof value === 'number' && value !== fallback ? { attribute: name, value } : undefined;
}

/** An optional input (by position) that the node gives. */
export function given(node: OnnxNode, index: number, what: string): UnsupportedForm | undefined {
  const name = node.inputs[index];
  return name ? { attribute: `input ${index} (${what})`, value: name } : undefined;
}

/** An optional output (by position) that the graph uses. */
export function wanted(node: OnnxNode, index: number, what: string): UnsupportedForm | undefined {
  const name = node.outputs[index];
  return name ? { attribute: `output ${index} (${what})`, value: name } : undefined;
}

/** The spatial rank of a conv or pool: from kernel_shape, else from a constant weight (its dims beyond the two channel axes). */
export function spatialRank(node: OnnxNode, constants: ReadonlyMap<string, ConstTensor>): number | undefined {
  const kernel = attributeOf(node, 'kernel_shape');
  if (Array.isArray(kernel)) return kernel.length;
  const weight = constants.get(node.inputs[1] ?? '');
  return weight ? weight.dims.length - 2 : undefined;
}

/** An input whose inferred dtype is not among those a kernel computes exactly. */
export function dtypeIn(view: LoadView, index: number, allowed: readonly string[]): UnsupportedForm | undefined {
  const dtype = view.dtypeOf(view.node.inputs[index]);
  return dtype !== undefined && !allowed.includes(dtype)
    ? { attribute: `input ${index} dtype`, value: dtype }
    : undefined;
}

/** The first unsupported form among several checks. */
export function firstOf(...forms: (UnsupportedForm | undefined)[]): UnsupportedForm | undefined {
  return forms.find((f) => f !== undefined);
}
