import type { GraphIndex } from '../graph-index.js';
import { perChannel } from '../graph-index.js';
import type { GraphProto, NodeProto } from '../onnx-model.js';
import { attribute, dimsOf, onnx } from '../onnx-model.js';
import { convRank, convWeights, storeConvWeights } from './conv-weights.js';

/** y·s + t per output channel, which a Conv absorbs exactly into its weight (×s) and bias (×s + t). */
interface Affine {
  scale: Float32Array;
  shift: Float32Array;
}

/** The per-channel affine map a node applies to the conv output `y`, if it is one: Mul/Add/Sub/Div by a constant, or BatchNormalization. */
function affineOf(index: GraphIndex, n: NodeProto, y: string, channels: number, rank: number): Affine | undefined {
  const inputs = n.input ?? [];
  const other = inputs[0] === y ? inputs[1] : inputs[0];
  const ones = (): Float32Array => new Float32Array(channels).fill(1);
  const zeros = (): Float32Array => new Float32Array(channels);
  if (index.isOp(n, 'BatchNormalization')) {
    if (inputs[0] !== y || (n.output ?? []).length !== 1) return undefined;
    const [gamma, beta, mean, variance] = inputs.slice(1).map((name) => index.floatConstant(name));
    if (!gamma || !beta || !mean || !variance) return undefined;
    const epsilon = attribute(n, 'epsilon')?.f ?? 1e-5;
    const scale = gamma.values.map((g, c) => g / Math.sqrt((variance.values[c] as number) + epsilon));
    return { scale, shift: beta.values.map((b, c) => b - (mean.values[c] as number) * (scale[c] as number)) };
  }
  const constant = index.floatConstant(other);
  const values = constant && perChannel(constant, rank, channels);
  if (!values || inputs.length !== 2) return undefined;
  if (index.isOp(n, 'Mul')) return { scale: values, shift: zeros() };
  if (index.isOp(n, 'Add')) return { scale: ones(), shift: values };
  if (index.isOp(n, 'Sub') && inputs[0] === y) return { scale: ones(), shift: values.map((v) => -v) };
  if (index.isOp(n, 'Div') && inputs[0] === y && values.every((v) => v !== 0))
    return { scale: values.map((v) => 1 / v), shift: zeros() };
  return undefined;
}

/**
 * Folds the constant per-channel scales, shifts and batch norms that follow a Conv into its weight and bias
 * (exporters write PP-LCNet's learnable affine blocks as a Mul and an Add after every convolution: two extra passes
 * over the activation each). Returns how many nodes were folded away.
 */
export function foldConvOutputs(graph: GraphProto, makeIndex: () => GraphIndex): number {
  let folded = 0;
  let index = makeIndex();
  for (const conv of [...graph.node]) {
    if (!index.isOp(conv, 'Conv')) continue;
    // The weight's dims first: its values are copied only for a conv that has something to fold.
    const weightInit = index.initializers.get((conv.input ?? [])[1] ?? '');
    if (!weightInit || weightInit.dataType !== onnx.TensorProto.DataType.FLOAT || dimsOf(weightInit).length < 3)
      continue;
    const [channels, , ...kernel] = dimsOf(weightInit);
    const rank = kernel.length + 2;
    const first = index.soleConsumer((conv.output ?? [])[0] as string);
    if (!first || !affineOf(index, first, (conv.output ?? [])[0] as string, channels as number, rank)) continue;
    const weights = convWeights(index, conv);
    if (!weights) continue;
    let changed = false;
    for (;;) {
      const y = (conv.output ?? [])[0] as string;
      const next = index.soleConsumer(y);
      const affine = next && affineOf(index, next, y, weights.outChannels, convRank(weights));
      if (!next || !affine) break;
      const per = weights.perOutput;
      for (let c = 0; c < weights.outChannels; c++) {
        const s = affine.scale[c] as number;
        for (let i = c * per; i < (c + 1) * per; i++) weights.weight[i] = (weights.weight[i] as number) * s;
        weights.bias[c] = (weights.bias[c] as number) * s + (affine.shift[c] as number);
      }
      conv.output = [(next.output ?? [])[0] as string];
      graph.node = graph.node.filter((n) => n !== next);
      index = makeIndex();
      changed = true;
      folded++;
    }
    if (changed) {
      storeConvWeights(graph, conv, weights);
      index = makeIndex();
    }
  }
  return folded;
}
