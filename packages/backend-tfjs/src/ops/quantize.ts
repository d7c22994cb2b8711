import * as tf from '@tensorflow/tfjs-core';
import type { LoadView, OpContext, OpEntry, UnsupportedForm } from './op-context.js';
import { attr, input } from './op-context.js';
import { dtypeIn, firstOf, notDefault } from './form-checks.js';
import { toTensor } from './value.js';

/** A scale or zero point, per tensor (a scalar) or per axis (1-D along `axis`), shaped to broadcast against x. */
function alongAxis(ctx: OpContext, t: tf.Tensor, rank: number): tf.Tensor {
  if (t.rank === 0 || t.size === 1) return tf.reshape(t, []);
  const axis = (attr(ctx, 'axis', 1) + rank) % rank;
  return tf.reshape(
    t,
    Array.from({ length: rank }, (_, i) => (i === axis ? t.size : 1)),
  );
}

const RANGE: Record<string, [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
};

/** Per-tensor and per-axis forms with 8- and 16-bit results; blocked quantization and other result types are refused. */
function quantizeForm(view: LoadView): UnsupportedForm | undefined {
  const out = view.dtypeOf(view.node.outputs[0]);
  return firstOf(
    notDefault(view.node, 'block_size', 0),
    out !== undefined && !(out in RANGE) && view.node.opType === 'QuantizeLinear'
      ? { attribute: 'output dtype', value: out }
      : undefined,
    view.node.opType === 'QuantizeLinear'
      ? dtypeIn(view, 0, ['float32'])
      : dtypeIn(view, 0, ['uint8', 'int8', 'uint16', 'int16', 'int32']),
  );
}

export const quantizeOps: Record<string, OpEntry> = {
  // round(x / scale) (halves to even) + zero point, saturated to the 8-bit type.
  QuantizeLinear: {
    kernel: (ctx) => {
      const x = toTensor(input(ctx, 0));
      const scale = alongAxis(ctx, toTensor(input(ctx, 1)), x.rank);
      const zp =
        ctx.inputs[2] === undefined
          ? tf.scalar(0)
          : alongAxis(ctx, tf.cast(toTensor(ctx.inputs[2]), 'float32'), x.rank);
      const [lo, hi] = RANGE[ctx.dtypeOf(ctx.node.outputs[0]) ?? 'uint8'] ?? [0, 255];
      return [tf.cast(tf.clipByValue(tf.add(tf.round(tf.div(x, scale)), zp), lo, hi), 'int32')];
    },
    refuse: quantizeForm,
    opsets: [10],
  },
  DequantizeLinear: {
    kernel: (ctx) => {
      const x = tf.cast(toTensor(input(ctx, 0)), 'float32');
      const scale = alongAxis(ctx, toTensor(input(ctx, 1)), x.rank);
      const zp =
        ctx.inputs[2] === undefined
          ? tf.scalar(0)
          : alongAxis(ctx, tf.cast(toTensor(ctx.inputs[2]), 'float32'), x.rank);
      return [tf.mul(tf.sub(x, zp), scale)];
    },
    refuse: quantizeForm,
    opsets: [10],
  },
};
