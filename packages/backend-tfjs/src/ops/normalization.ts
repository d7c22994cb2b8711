import * as tf from '@tensorflow/tfjs-core';
import type { OpEntry } from './op-context.js';
import { notDefault, wanted } from './form-checks.js';
import { attr, input } from './op-context.js';
import { toNchw, toNhwc } from './conv.js';
import { toTensor } from './value.js';

export const normalizationOps: Record<string, OpEntry> = {
  // Folded once into x · a + b per channel: a = scale / √(var + ε), b = bias − mean · a.
  BatchNormalization: {
    refuse: ({ node }) =>
      notDefault(node, 'training_mode', 0) ?? wanted(node, 1, 'running_mean') ?? wanted(node, 2, 'running_var'),
    kernel: (ctx) => {
      const x = toTensor(input(ctx, 0));
      const channels = x.shape[1] as number;
      const shape = [1, channels, ...Array(x.rank - 2).fill(1)];
      const constant = [1, 2, 3, 4].every((i) => ctx.isConstant(i));
      const fold = (): tf.Tensor => {
        const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => toTensor(input(ctx, i)));
        const a = tf.div(scale as tf.Tensor, tf.sqrt(tf.add(variance as tf.Tensor, attr(ctx, 'epsilon', 1e-5))));
        return tf.stack([
          tf.reshape(a, shape),
          tf.reshape(tf.sub(bias as tf.Tensor, tf.mul(mean as tf.Tensor, a)), shape),
        ]);
      };
      const ab = constant ? ctx.prepared(ctx.node.name, fold) : fold();
      const [a, b] = tf.unstack(ab);
      return [tf.add(tf.mul(x, a as tf.Tensor), b as tf.Tensor)];
    },
  },
  // ONNX divides alpha by size; tfjs does not, and takes a radius.
  LRN: (ctx) => {
    const size = attr(ctx, 'size', 5);
    const x = toNhwc(toTensor(input(ctx, 0)));
    const y = tf.localResponseNormalization(
      x,
      Math.floor((size - 1) / 2),
      attr(ctx, 'bias', 1),
      attr(ctx, 'alpha', 1e-4) / size,
      attr(ctx, 'beta', 0.75),
    );
    return [toNchw(y)];
  },
  InstanceNormalization: (ctx) => {
    // Per sample and channel, over the spatial axes: (x − mean) / √(var + ε) · scale[c] + bias[c].
    const x = toTensor(input(ctx, 0));
    const spatial = Array.from({ length: x.rank - 2 }, (_, i) => i + 2);
    const { mean, variance } = tf.moments(x, spatial, true);
    const perChannel = (t: tf.Tensor): tf.Tensor => tf.reshape(t, [1, -1, ...spatial.map(() => 1)]);
    const y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, attr(ctx, 'epsilon', 1e-5))));
    return [tf.add(tf.mul(y, perChannel(toTensor(input(ctx, 1)))), perChannel(toTensor(input(ctx, 2))))];
  },
  // Mean and InvStdDev (outputs 1 and 2) are given when the graph asks, keeping the reduced axes as 1.
  LayerNormalization: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axis = attr(ctx, 'axis', -1);
    const axes = Array.from({ length: x.rank - ((axis + x.rank) % x.rank) }, (_, i) => ((axis + x.rank) % x.rank) + i);
    const { mean, variance } = tf.moments(x, axes, true);
    const invStdDev = tf.rsqrt(tf.add(variance, attr(ctx, 'epsilon', 1e-5)));
    let y = tf.mul(tf.mul(tf.sub(x, mean), invStdDev), toTensor(input(ctx, 1)));
    const bias = ctx.inputs[2];
    if (bias !== undefined) y = tf.add(y, toTensor(bias));
    return [y, mean, invStdDev];
  },
  // x / √(mean(x²) + ε) · scale over the axes from `axis` on.
  RMSNormalization: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const from = (attr(ctx, 'axis', -1) + x.rank) % x.rank;
    const axes = Array.from({ length: x.rank - from }, (_, i) => from + i);
    const rms = tf.rsqrt(tf.add(tf.mean(tf.mul(x, x), axes, true), attr(ctx, 'epsilon', 1e-5)));
    return [tf.mul(tf.mul(x, rms), toTensor(input(ctx, 1)))];
  },
  // Channels in num_groups groups, each normalised over its channels and the spatial axes; scale and bias are per
  // channel (opset 21) or, in opset 18's form, per group.
  GroupNormalization: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const groups = attr(ctx, 'num_groups', 1);
    const [n, c] = x.shape as [number, number];
    const grouped = tf.reshape(x, [n, groups, -1]);
    const { mean, variance } = tf.moments(grouped, [2], true);
    const y = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, attr(ctx, 'epsilon', 1e-5)))), x.shape);
    const perChannel = (t: tf.Tensor): tf.Tensor => {
      const full = t.size === c ? t : tf.reshape(tf.tile(tf.reshape(t, [groups, 1]), [1, c / groups]), [c]);
      return tf.reshape(full, [1, c, ...Array(x.rank - 2).fill(1)]);
    };
    return [tf.add(tf.mul(y, perChannel(toTensor(input(ctx, 1)))), perChannel(toTensor(input(ctx, 2))))];
  },
  MeanVarianceNormalization: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axes = attr(ctx, 'axes', [0, 2, 3]).map((a) => (a < 0 ? a + x.rank : a));
    const { mean, variance } = tf.moments(x, axes, true);
    return [tf.div(tf.sub(x, mean), tf.add(tf.sqrt(variance), 1e-9))];
  },
  LpNormalization: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axis = (attr(ctx, 'axis', -1) + x.rank) % x.rank;
    const norm = attr(ctx, 'p', 2) === 1 ? tf.sum(tf.abs(x), axis, true) : tf.sqrt(tf.sum(tf.mul(x, x), axis, true));
    // A zero vector stays zero (0 / 0 would be NaN).
    return [tf.divNoNan(x, norm)];
  },
};
