import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import type { HostTensor } from './value.js';
import { toHost, toTensor } from './value.js';

/**
 * −log-likelihood of each target class, weighted, with ignore_index and the three reductions of ONNX's
 * NegativeLogLikelihoodLoss (mean divides by the weights of the targets counted). Computed on the host: a loss is a
 * few numbers, and the class lookups are exact there.
 */
function negativeLogLikelihood(logProb: HostTensor, target: HostTensor, weight: HostTensor | undefined, reduction: string, ignoreIndex: number | undefined): tf.Tensor {
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

const ignoreIndexOf = (ctx: OpContext): number | undefined => ctx.node.attributes.get('ignore_index') as number | undefined;
const optional = (ctx: OpContext, i: number): HostTensor | undefined => (ctx.inputs[i] === undefined ? undefined : toHost(ctx.inputs[i]));

export const lossOps: Record<string, OpEntry> = {
  NegativeLogLikelihoodLoss: {
    kernel: (ctx) => [negativeLogLikelihood(toHost(input(ctx, 0)), toHost(input(ctx, 1)), optional(ctx, 2), attr(ctx, 'reduction', 'mean'), ignoreIndexOf(ctx))],
    refuse: (view) => dtypeIn(view, 0, ['float32']),
    opsets: [12],
  },
  // NegativeLogLikelihoodLoss of log-softmax over the class axis; log_prob (output 1) when the graph asks.
  SoftmaxCrossEntropyLoss: {
    kernel: (ctx) => {
      const logProb = tf.logSoftmax(moveClassesLast(toTensor(input(ctx, 0))));
      const back = moveClassesBack(logProb);
      const loss = negativeLogLikelihood(toHost(back), toHost(input(ctx, 1)), optional(ctx, 2), attr(ctx, 'reduction', 'mean'), ignoreIndexOf(ctx));
      return [loss, back];
    },
    refuse: (view) => dtypeIn(view, 0, ['float32']),
    opsets: [12],
  },
};

/** [N, C, d…] → [N, d…, C]: tfjs' softmax runs along the last axis. */
function moveClassesLast(x: tf.Tensor): tf.Tensor {
  return x.rank <= 2 ? x : tf.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
}

function moveClassesBack(x: tf.Tensor): tf.Tensor {
  return x.rank <= 2 ? x : tf.transpose(x, [0, x.rank - 1, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 1)]);
}
