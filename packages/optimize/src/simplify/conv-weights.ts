import type { GraphIndex } from '../graph-index.js';
import type { GraphProto, NodeProto } from '../onnx-model.js';
import { attribute, floatTensor, ints } from '../onnx-model.js';

/** A Conv's float weight and bias, copied out so that a fold can change them without touching shared initializers. */
export interface ConvWeights {
  weight: Float32Array;
  weightDims: number[];
  bias: Float32Array;
  /** Output channels (weight dim 0) and the input values each output reads (weight's other dims). */
  outChannels: number;
  perOutput: number;
}

export function convWeights(index: GraphIndex, conv: NodeProto): ConvWeights | undefined {
  const weight = index.floatConstant(conv.input?.[1]);
  if (!weight || weight.dims.length < 3) return undefined;
  const outChannels = weight.dims[0] as number;
  const biasName = conv.input?.[2];
  const bias = biasName
    ? index.floatConstant(biasName)
    : { values: new Float32Array(outChannels), dims: [outChannels] };
  if (!bias || bias.values.length !== outChannels) return undefined;
  return {
    weight: weight.values.slice(),
    weightDims: weight.dims,
    bias: bias.values.slice(),
    outChannels,
    perOutput: weight.values.length / outChannels,
  };
}

/** Writes the folded weight and bias as new initializers named after the conv, and points the conv at them. */
export function storeConvWeights(graph: GraphProto, conv: NodeProto, w: ConvWeights): void {
  const base = conv.name || (conv.output ?? [])[0];
  const weightName = `${base}__folded_weight`;
  const biasName = `${base}__folded_bias`;
  graph.initializer = graph.initializer.filter((t) => t.name !== weightName && t.name !== biasName);
  graph.initializer.push(
    floatTensor(weightName, w.weightDims, w.weight),
    floatTensor(biasName, [w.outChannels], w.bias),
  );
  conv.input = [(conv.input ?? [])[0] as string, weightName, biasName];
}

/** The spatial rank of a Conv (its weight's dims beyond out/in channels). */
export function convRank(w: ConvWeights): number {
  return w.weightDims.length;
}

/** Whether every input of the conv reaches every output with a 1×…×1 kernel, no padding and no groups. */
export function isPointwise(conv: NodeProto, w: ConvWeights): boolean {
  const kernel = w.weightDims.slice(2);
  const pads = ints(attribute(conv, 'pads'));
  const group = Number(attribute(conv, 'group')?.i ?? 1);
  const autoPad = attribute(conv, 'auto_pad')?.s;
  const autoPadText = autoPad ? new TextDecoder().decode(autoPad) : 'NOTSET';
  return (
    kernel.every((k) => k === 1) &&
    pads.every((p) => p === 0) &&
    group === 1 &&
    (autoPadText === 'NOTSET' || autoPadText === 'VALID')
  );
}
