import type { AttributeValue, ConstTensor, OnnxNode } from '../onnx/onnx-graph.js';

/** The attribute (or input) of a node whose value the kernels do not implement, with that value. */
export interface UnsupportedForm {
  attribute: string;
  value: string | number;
}

type Check = (node: OnnxNode, constants: ReadonlyMap<string, ConstTensor>) => UnsupportedForm | undefined;

const get = (node: OnnxNode, name: string): AttributeValue => node.attributes.get(name);

function oneOf(node: OnnxNode, name: string, fallback: string, allowed: readonly string[]): UnsupportedForm | undefined {
  const value = (get(node, name) as string | undefined) ?? fallback;
  return allowed.includes(value) ? undefined : { attribute: name, value };
}

/** The spatial rank of a conv: from kernel_shape, else from a constant weight (its dims beyond the two channel axes). */
function spatialRank(node: OnnxNode, constants: ReadonlyMap<string, ConstTensor>): number | undefined {
  const kernel = get(node, 'kernel_shape');
  if (Array.isArray(kernel)) return kernel.length;
  const weight = constants.get(node.inputs[1] ?? '');
  return weight ? weight.dims.length - 2 : undefined;
}

function allOnes(node: OnnxNode, name: string): UnsupportedForm | undefined {
  const value = get(node, name);
  return Array.isArray(value) && value.some((v) => v !== 1) ? { attribute: name, value: value.join(',') } : undefined;
}

/**
 * What each op's kernel implements beyond its op type, checked when the model loads: a node outside it is listed in
 * the same UNSUPPORTED_OP error as an unknown op type, never left to fail at run time.
 */
export const OP_VARIANT_CHECKS: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['Pad', (node) => oneOf(node, 'mode', 'constant', ['constant', 'reflect'])],
  [
    'Conv',
    (node, constants) => {
      const rank = spatialRank(node, constants);
      if (rank !== undefined && rank !== 1 && rank !== 2) return { attribute: 'kernel_shape (spatial rank)', value: rank };
      // tfjs convolves with a stride or a dilation, not both.
      const strided = allOnes(node, 'strides');
      const dilated = allOnes(node, 'dilations');
      return strided && dilated ? { attribute: 'strides with dilations', value: `${strided.value} with ${dilated.value}` } : undefined;
    },
  ],
  [
    'ConvTranspose',
    (node, constants) => {
      const rank = spatialRank(node, constants);
      if (rank !== undefined && rank !== 2) return { attribute: 'kernel_shape (spatial rank)', value: rank };
      if (get(node, 'output_shape') !== undefined) return { attribute: 'output_shape', value: String(get(node, 'output_shape')) };
      return oneOf(node, 'auto_pad', 'NOTSET', ['NOTSET', 'VALID']) ?? allOnes(node, 'dilations');
    },
  ],
  ['Resize', resizeCheck],
  ['Upsample', resizeCheck],
]);

function resizeCheck(node: OnnxNode): UnsupportedForm | undefined {
  const antialias = get(node, 'antialias');
  if (typeof antialias === 'number' && antialias !== 0) return { attribute: 'antialias', value: antialias };
  return (
    oneOf(node, 'mode', 'nearest', ['nearest', 'linear', 'bilinear']) ??
    oneOf(node, 'coordinate_transformation_mode', 'half_pixel', ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric']) ??
    oneOf(node, 'nearest_mode', 'round_prefer_floor', ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']) ??
    oneOf(node, 'keep_aspect_ratio_policy', 'stretch', ['stretch'])
  );
}
