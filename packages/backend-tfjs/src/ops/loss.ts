import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import type { HostTensor } from './value.js';
import { host, toHost } from './value.js';

/**
 * −log-likelihood of each target class, weighted, with ignore_index and the three reductions of ONNX's
 * NegativeLogLikelihoodLoss (mean divides by the weights of the targets counted). Computed on the host: a loss is a
 * few numbers, and the class lookups are exact there.
 */
function negativeLogLikelihood(
  logProb: HostTensor,
  target: HostTensor,
  weight: HostTensor | undefined,
  reduction: string,
  ignoreIndex: number | undefined,
): tf.Tensor {
  const [n, c] = logProb.dims as [number, number];
  const inner = logProb.dims.slice(2).reduce((a, b) => a * b, 1);
  const losses = new Array<number>(n * inner);
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < inner; d++) {
      const k = target.data[i * inner + d] as number;
      if (k === ignoreIndex) {
        losses[i * inner + d] = 0;
        continue;
      }
      if (!Number.isInteger(k) || k < 0 || k >= c) throw new RangeError(`target class ${k} is outside 0..${c - 1}`);
      const w = weight ? (weight.data[k] as number) : 1;
      losses[i * inner + d] = -(logProb.data[(i * c + k) * inner + d] as number) * w;
      weightSum += w;
    }
  }
  if (reduction === 'none') return tf.tensor(losses, target.dims, 'float32');
  const sum = losses.reduce((a, b) => a + b, 0);
  return tf.scalar(reduction === 'sum' ? sum : sum / weightSum, 'float32');
}

const ignoreIndexOf = (ctx: OpContext): number | undefined =>
  ctx.node.attributes.get('ignore_index') as number | undefined;
const optional = (ctx: OpContext, i: number): HostTensor | undefined =>
  ctx.inputs[i] === undefined ? undefined : toHost(ctx.inputs[i]);

export const lossOps: Record<string, OpEntry> = {
  NegativeLogLikelihoodLoss: {
    kernel: (ctx) => [
      negativeLogLikelihood(
        toHost(input(ctx, 0)),
        toHost(input(ctx, 1)),
        optional(ctx, 2),
        attr(ctx, 'reduction', 'mean'),
        ignoreIndexOf(ctx),
      ),
    ],
    refuse: (view) => dtypeIn(view, 0, ['float32']),
    opsets: [12],
    anyRank: true,
  },
  // NegativeLogLikelihoodLoss of log-softmax over the class axis; log_prob (output 1) when the graph asks.
  SoftmaxCrossEntropyLoss: {
    kernel: (ctx) => {
      const logProb = logSoftmaxOverClasses(toHost(input(ctx, 0)));
      const loss = negativeLogLikelihood(
        logProb,
        toHost(input(ctx, 1)),
        optional(ctx, 2),
        attr(ctx, 'reduction', 'mean'),
        ignoreIndexOf(ctx),
      );
      return [loss, tf.tensor(logProb.data, logProb.dims, 'float32')];
    },
    refuse: (view) => dtypeIn(view, 0, ['float32']),
    opsets: [12],
    anyRank: true,
  },
};

/** log-softmax along axis 1 of [N, C, d…], on the host (stable: the maximum of each class vector first). */
function logSoftmaxOverClasses(x: HostTensor): HostTensor {
  const [n, c] = x.dims as [number, number];
  const inner = x.dims.slice(2).reduce((a, b) => a * b, 1);
  const out = new Array<number>(x.data.length);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < inner; d++) {
      const at = (k: number): number => (i * c + k) * inner + d;
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, x.data[at(k)] as number);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.exp((x.data[at(k)] as number) - max);
      const log = Math.log(sum) + max;
      for (let k = 0; k < c; k++) out[at(k)] = (x.data[at(k)] as number) - log;
    }
  }
  return host('float32', x.dims, out);
}
