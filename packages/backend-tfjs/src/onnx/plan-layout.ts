import type { OnnxGraph, OnnxNode } from './onnx-graph.js';

/**
 * Ops that take their data input (index 0) and give their output in either layout: tfjs' convolutions and pools run
 * channels-last anyway, and the 2-D Resize samples whichever axes hold height and width.
 */
const WINDOWED = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'Resize', 'Upsample']);
/** Pools over all pixels: channels-last in, channels-last out (the reduced axes differ, nothing else). */
const GLOBAL_POOLS = new Set(['GlobalAveragePool', 'GlobalMaxPool']);
/**
 * Elementwise ops whose other inputs are scalars or tensors in the same layout: two rank-4 tensors broadcast alike
 * after the same permutation, so these compute the same values on channels-last data.
 */
const ELEMENTWISE = new Set([
  'Relu',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Clip',
  'LeakyRelu',
  'Tanh',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Sum',
]);
/** Concat of channels-last tensors only (no scalars), along the axis remapped at run time. */
const CONCAT = 'Concat';

/** A 2-D convolution, pool or resize, as far as the file says at load (a 1-D conv has a rank-3 weight). */
function isWindowed2d(node: OnnxNode, constantDims: ConstantDims): boolean {
  if (!WINDOWED.has(node.opType)) return false;
  if (node.opType === 'Conv' || node.opType === 'ConvTranspose')
    return constantDims(node.inputs[1] ?? '')?.length === 4;
  // The Resize kernel resamples rank-4 images only, whatever the plan.
  if (node.opType === 'Resize' || node.opType === 'Upsample') return true;
  const kernel = node.attributes.get('kernel_shape');
  // A dilated pool runs on the host, in NCHW.
  const dilations = node.attributes.get('dilations');
  return Array.isArray(kernel) && kernel.length === 2 && !(Array.isArray(dilations) && dilations.some((d) => d !== 1));
}

/** The dims of a value known at load (an initializer, or a node computed at load), else undefined. */
export type ConstantDims = (name: string) => readonly number[] | undefined;

export interface ChannelsLastPlan {
  /** Values kept channels-last. */
  values: Set<string>;
  /**
   * Per elementwise node computing channels-last: the indices of its constant inputs of more than one value
   * (per-channel scales, biases), which it reads permuted like the data (padded to rank 4, then NCHW → NHWC).
   */
  permutedConstants: Map<OnnxNode, number[]>;
}

/**
 * The layout pass: which values stay channels-last (NHWC) between the ops that made and read them, instead of being
 * transposed back to ONNX's NCHW after every convolution and forward again before the next. A value qualifies when
 * a 2-D conv, transposed conv, pool or resize made it (or an elementwise op, Concat or global pool from such values),
 * every reader takes channels-last input (a conv, pool or resize as its data input, or an elementwise op, Concat or
 * global pool whose own output qualifies), and it is not a graph output. Everything else keeps NCHW, so the other
 * kernels never see a channels-last tensor.
 */
export function planChannelsLast(
  graph: OnnxGraph,
  order: readonly OnnxNode[],
  constantDims: ConstantDims = (name) => graph.initializers.get(name)?.dims,
): ChannelsLastPlan {
  const size = (name: string): number | undefined => constantDims(name)?.reduce((a, b) => a * b, 1);
  // A constant that broadcasts against rank-4 data the same way once permuted with it (rank ≤ 4).
  const broadcastConstant = (name: string): boolean => (constantDims(name)?.length ?? 5) <= 4;
  const producer = new Map<string, OnnxNode>();
  const readers = new Map<string, { node: OnnxNode; index: number }[]>();
  for (const node of order) {
    node.outputs.forEach((o) => o && producer.set(o, node));
    node.inputs.forEach((name, index) => {
      if (!name) return;
      const list = readers.get(name) ?? [];
      list.push({ node, index });
      readers.set(name, list);
    });
  }
  const layoutFree = (node: OnnxNode): boolean =>
    ELEMENTWISE.has(node.opType) || GLOBAL_POOLS.has(node.opType) || node.opType === CONCAT;
  const nhwc = new Set<string>();
  // A tensor input of a layout-free op that can ride along channels-last: a constant (permuted if it is not a
  // scalar), except in a Concat.
  const rides = (node: OnnxNode, name: string): boolean =>
    !name || nhwc.has(name) || (node.opType !== CONCAT && broadcastConstant(name));
  // Candidates, in topological order: what could be channels-last given its inputs.
  for (const node of order) {
    const out = node.outputs[0];
    if (!out || node.outputs.length !== 1) continue;
    if (isWindowed2d(node, constantDims)) nhwc.add(out);
    else if (layoutFree(node) && node.inputs.some((n) => nhwc.has(n)) && node.inputs.every((n) => rides(node, n)))
      nhwc.add(out);
  }
  // Pruned to a fixpoint: a value stays only if every reader takes it channels-last, and an elementwise result only
  // while all its tensor inputs still are.
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const accepts = ({ node, index }: { node: OnnxNode; index: number }): boolean =>
    (isWindowed2d(node, constantDims) && index === 0) || (layoutFree(node) && nhwc.has(node.outputs[0] ?? ''));
  for (let changed = true; changed;) {
    changed = false;
    for (const name of [...nhwc]) {
      const made = producer.get(name);
      const inputsOk = !made || !layoutFree(made) || made.inputs.every((n) => rides(made, n));
      if (graphOutputs.has(name) || !inputsOk || !(readers.get(name) ?? []).every(accepts)) {
        nhwc.delete(name);
        changed = true;
      }
    }
  }
  const permutedConstants = new Map<OnnxNode, number[]>();
  for (const node of order) {
    if (!ELEMENTWISE.has(node.opType) || !nhwc.has(node.outputs[0] ?? '')) continue;
    const indices = node.inputs.flatMap((name, i) => ((size(name) ?? 1) > 1 ? [i] : []));
    if (indices.length > 0) permutedConstants.set(node, indices);
  }
  return { values: nhwc, permutedConstants };
}
