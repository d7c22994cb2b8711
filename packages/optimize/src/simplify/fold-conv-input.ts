import type { GraphIndex } from '../graph-index.js';
import { perChannel } from '../graph-index.js';
import type { GraphProto, NodeProto } from '../onnx-model.js';
import { convRank, convWeights, isPointwise, storeConvWeights } from './conv-weights.js';

interface InputAffine {
  source: string;
  scale: { values: Float32Array; dims: number[] } | undefined;
  shift: { values: Float32Array; dims: number[] } | undefined;
}

/** t = a·s + b, a·s or a + b with constant s and b: where `a` is, and s and b. */
function inputAffine(index: GraphIndex, t: string): InputAffine | undefined {
  const p = index.producer.get(t);
  const constantAndOther = (n: NodeProto): [{ values: Float32Array; dims: number[] }, string] | undefined => {
    const [a, b] = n.input ?? [];
    const cb = index.floatConstant(b);
    if (cb && a !== undefined) return [cb, a];
    const ca = index.floatConstant(a);
    if (ca && b !== undefined) return [ca, b];
    return undefined;
  };
  if (index.isOp(p, 'Mul')) {
    const m = constantAndOther(p);
    return m && { source: m[1], scale: m[0], shift: undefined };
  }
  if (!index.isOp(p, 'Add')) return undefined;
  const a = constantAndOther(p);
  if (!a) return undefined;
  const mul = index.producer.get(a[1]);
  const m = index.isOp(mul, 'Mul') && index.soleConsumer(a[1]) ? constantAndOther(mul) : undefined;
  return m ? { source: m[1], scale: m[0], shift: a[0] } : { source: a[1], scale: undefined, shift: a[0] };
}

/**
 * Folds a constant per-channel affine map (a·s + b) into the 1×1 convolutions that read it: W'[o,i] = W[o,i]·s[i],
 * B'[o] = B[o] + Σi W[o,i]·b[i]. Exact only where no zero padding meets the shifted input, so only unpadded,
 * ungrouped pointwise convolutions qualify, and only when every reader of the affine output is one.
 */
export function foldConvInputs(graph: GraphProto, makeIndex: () => GraphIndex): number {
  let folded = 0;
  let index = makeIndex();
  for (const conv of [...graph.node]) {
    if (!index.isOp(conv, 'Conv')) continue;
    const t = (conv.input ?? [])[0] as string;
    const readers = index.consumers.get(t) ?? [];
    const affine = inputAffine(index, t);
    if (!affine || index.outputs.has(t)) continue;
    const all = readers.map((r) => ({ r, w: index.isOp(r, 'Conv') ? convWeights(index, r) : undefined }));
    if (!all.every(({ r, w }) => w && isPointwise(r, w))) continue;
    for (const { r, w } of all) {
      if (!w) continue;
      const inChannels = w.weightDims[1] as number;
      const rank = convRank(w);
      const scale = affine.scale ? perChannel(affine.scale, rank, inChannels) : new Float32Array(inChannels).fill(1);
      const shift = affine.shift ? perChannel(affine.shift, rank, inChannels) : new Float32Array(inChannels);
      if (!scale || !shift) continue;
      for (let o = 0; o < w.outChannels; o++) {
        let extra = 0;
        for (let i = 0; i < inChannels; i++) {
          const k = o * inChannels + i;
          extra += (w.weight[k] as number) * (shift[i] as number);
          w.weight[k] = (w.weight[k] as number) * (scale[i] as number);
        }
        w.bias[o] = (w.bias[o] as number) + extra;
      }
      storeConvWeights(graph, r, w);
      r.input = [affine.source, ...(r.input ?? []).slice(1)];
      folded++;
    }
    index = makeIndex();
  }
  return folded;
}
