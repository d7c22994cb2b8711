import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import { toNchw, toNhwc } from './conv.js';
import { toTensor } from './value.js';

export const normalizationOps: Record<string, OpKernel> = {
  // Folded once into x · a + b per channel: a = scale / √(var + ε), b = bias − mean · a.
  BatchNormalization: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const channels = x.shape[1] as number;
    const shape = [1, channels, ...Array(x.rank - 2).fill(1)];
    const constant = [1, 2, 3, 4].every((i) => ctx.isConstant(i));
    const fold = (): tf.Tensor => {
      const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => toTensor(input(ctx, i)));
      const a = tf.div(scale as tf.Tensor, tf.sqrt(tf.add(variance as tf.Tensor, attr(ctx, 'epsilon', 1e-5))));
      return tf.stack([tf.reshape(a, shape), tf.reshape(tf.sub(bias as tf.Tensor, tf.mul(mean as tf.Tensor, a)), shape)]);
    };
    const ab = constant ? ctx.prepared(ctx.node.name, fold) : fold();
    const [a, b] = tf.unstack(ab);
    return [tf.add(tf.mul(x, a as tf.Tensor), b as tf.Tensor)];
  },
  // ONNX divides alpha by size; tfjs does not, and takes a radius.
  LRN: (ctx) => {
    const size = attr(ctx, 'size', 5);
    const x = toNhwc(toTensor(input(ctx, 0)));
    const y = tf.localResponseNormalization(x, Math.floor((size - 1) / 2), attr(ctx, 'bias', 1), attr(ctx, 'alpha', 1e-4) / size, attr(ctx, 'beta', 0.75));
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
  LayerNormalization: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const axis = attr(ctx, 'axis', -1);
    const axes = Array.from({ length: x.rank - ((axis + x.rank) % x.rank) }, (_, i) => ((axis + x.rank) % x.rank) + i);
    const { mean, variance } = tf.moments(x, axes, true);
    let y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, attr(ctx, 'epsilon', 1e-5))));
    y = tf.mul(y, toTensor(input(ctx, 1)));
    const bias = ctx.inputs[2];
    return [bias === undefined ? y : tf.add(y, toTensor(bias))];
  },
};
