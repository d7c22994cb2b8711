import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import { toHost, toTensor } from './value.js';

/** [B, S, heads·size] → [B, heads, S, size]; 4-D inputs are already so. */
function toHeads(t: tf.Tensor, heads: number): tf.Tensor4D {
  if (t.rank === 4) return t as tf.Tensor4D;
  const [b, s, hidden] = t.shape as [number, number, number];
  return tf.transpose(tf.reshape(t, [b, s, heads, hidden / heads]), [0, 2, 1, 3]) as tf.Tensor4D;
}

/** Each of the kv heads serves q / kv consecutive query heads (grouped-query attention). */
function repeatHeads(t: tf.Tensor4D, times: number): tf.Tensor4D {
  if (times === 1) return t;
  const [b, h, l, d] = t.shape;
  return tf.reshape(tf.broadcastTo(tf.reshape(t, [b, h, 1, l, d]), [b, h, times, l, d]), [
    b,
    h * times,
    l,
    d,
  ]) as tf.Tensor4D;
}

/**
 * ONNX Attention (opset 23): softmax(Q·Kᵀ · scale + mask) · V over 3-D ([B, S, hidden], head counts as attributes)
 * or 4-D ([B, heads, S, size]) inputs, with a boolean or additive mask, is_causal, softcap, grouped kv heads, past keys
 * and values (present_key / present_value outputs) and the optional QK output in each qk_matmul_output_mode.
 */
function attention(ctx: OpContext): tf.Tensor[] {
  const q3 = toTensor(input(ctx, 0));
  const qHeads = attr(ctx, 'q_num_heads', 0);
  const kvHeads = attr(ctx, 'kv_num_heads', 0);
  const q = toHeads(q3, qHeads);
  let k = toHeads(toTensor(input(ctx, 1)), kvHeads);
  let v = toHeads(toTensor(input(ctx, 2)), kvHeads);
  const pastKey = ctx.inputs[4];
  const pastValue = ctx.inputs[5];
  if (pastKey !== undefined) k = tf.concat([toTensor(pastKey), k], 2) as tf.Tensor4D;
  if (pastValue !== undefined) v = tf.concat([toTensor(pastValue), v], 2) as tf.Tensor4D;
  const [, heads, seq, size] = q.shape;
  const total = k.shape[2];
  const times = heads / k.shape[1];
  const scale = attr(ctx, 'scale', 1 / Math.sqrt(size));
  // Softcap comes before the mask, so that masked keys stay at −∞ (ONNX's order).
  let qk: tf.Tensor = tf.mul(tf.matMul(q, repeatHeads(k, times), false, true), scale);
  const softcap = attr(ctx, 'softcap', 0);
  if (softcap > 0) qk = tf.mul(softcap, tf.tanh(tf.div(qk, softcap)));
  let bias: tf.Tensor | undefined;
  const mask = ctx.inputs[3];
  if (mask !== undefined) {
    const m = toTensor(mask);
    // A mask shorter than the keys (past and new) covers the first keys; the rest are masked out.
    const short = total - (m.shape.at(-1) as number);
    const widened =
      short > 0
        ? tf.pad(
            m,
            [...m.shape.slice(0, -1).map(() => [0, 0] as [number, number]), [0, short]],
            m.dtype === 'bool' ? 0 : -Infinity,
          )
        : m;
    bias = widened.dtype === 'bool' ? tf.where(widened, tf.scalar(0), tf.scalar(-Infinity)) : widened;
  }
  const batch = q.shape[0];
  // Opset 24's nonpad_kv_seqlen: batch b's keys past nonpad[b] are padding.
  const nonpad = ctx.inputs[6] === undefined ? undefined : toHost(ctx.inputs[6]).data;
  const keys = tf.reshape(tf.range(0, total, 1, 'int32'), [1, 1, 1, total]);
  const negInf = (allowed: tf.Tensor): tf.Tensor => tf.where(allowed, tf.scalar(0), tf.scalar(-Infinity));
  const addBias = (more: tf.Tensor): void => void (bias = bias === undefined ? more : tf.add(bias, more));
  if (attr(ctx, 'is_causal', 0) === 1) {
    // Query i sees keys up to i + offset: the past's length with a cache, nonpad[b] − seq with a padded external one,
    // else 0 (top-left aligned).
    const past = pastKey === undefined ? 0 : (toTensor(pastKey).shape[2] as number);
    const offsets = pastKey === undefined && nonpad ? nonpad.map((n) => n - seq) : Array(batch).fill(past);
    const limit = tf.add(
      tf.reshape(tf.tensor(offsets, [batch], 'int32'), [batch, 1, 1, 1]),
      tf.reshape(tf.range(0, seq, 1, 'int32'), [1, 1, seq, 1]),
    );
    addBias(negInf(tf.lessEqual(keys, limit)));
  }
  if (nonpad) addBias(negInf(tf.less(keys, tf.reshape(tf.tensor(nonpad, [batch], 'int32'), [batch, 1, 1, 1]))));
  const scores = bias === undefined ? qk : tf.add(qk, bias);
  // A row with every key masked has no distribution: its weights are 0 (softmax of all −∞ would be NaN).
  const softmax = tf.softmax(scores);
  const masked = tf.equal(tf.max(scores, -1, true), -Infinity);
  const weights = tf.where(tf.broadcastTo(masked, softmax.shape), tf.zerosLike(softmax), softmax);
  const mode = attr(ctx, 'qk_matmul_output_mode', 0);
  // Modes 0 and 1 give the (soft-capped) products, 2 with the mask added, 3 the softmax.
  const qkOutput = mode === 3 ? weights : mode === 2 ? scores : qk;
  let y: tf.Tensor = tf.matMul(weights, repeatHeads(v, times));
  if (q3.rank === 3) y = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [q3.shape[0] as number, seq, -1]);
  return [y, k, v, qkOutput];
}

/**
 * RotaryEmbedding (opset 23): the first rotary_embedding_dim features of each head rotated pairwise by the cached
 * cos/sin of the token's position (halves paired, or neighbours when interleaved); the rest pass through.
 */
function rotaryEmbedding(ctx: OpContext): tf.Tensor[] {
  const x = toTensor(input(ctx, 0));
  const [b, s4] = x.shape as [number, number];
  // As [B, S, heads, head]: 4-D inputs come [B, heads, S, head]; 3-D ones [B, S, heads · head].
  const heads = attr(ctx, 'num_heads', 0);
  const bshd =
    x.rank === 4 ? tf.transpose(x, [0, 2, 1, 3]) : tf.reshape(x, [b, s4, heads, (x.shape[2] as number) / heads]);
  const head = bshd.shape[3] as number;
  const rot = attr(ctx, 'rotary_embedding_dim', 0) || head;
  const positions = ctx.inputs[3];
  const pick = (cache: tf.Tensor): tf.Tensor => {
    const picked = positions === undefined ? cache : tf.gather(cache, toTensor(positions));
    return tf.expandDims(tf.slice(picked, [0, 0, 0], [-1, -1, rot / 2]), 2);
  };
  const [cos, sin] = [pick(toTensor(input(ctx, 1))), pick(toTensor(input(ctx, 2)))];
  const rotated = tf.slice(bshd, [0, 0, 0, 0], [-1, -1, -1, rot]);
  const interleaved = attr(ctx, 'interleaved', 0) === 1;
  const [x1, x2] = interleaved
    ? tf.unstack(tf.reshape(rotated, [...rotated.shape.slice(0, 3), rot / 2, 2]), 4)
    : tf.split(rotated, 2, 3);
  const real = tf.sub(tf.mul(cos, x1 as tf.Tensor), tf.mul(sin, x2 as tf.Tensor));
  const imag = tf.add(tf.mul(sin, x1 as tf.Tensor), tf.mul(cos, x2 as tf.Tensor));
  const turned = interleaved ? tf.reshape(tf.stack([real, imag], 4), rotated.shape) : tf.concat([real, imag], 3);
  const y = rot < head ? tf.concat([turned, tf.slice(bshd, [0, 0, 0, rot], [-1, -1, -1, -1])], 3) : turned;
  return [x.rank === 4 ? tf.transpose(y, [0, 2, 1, 3]) : tf.reshape(y, x.shape)];
}

export const attentionOps: Record<string, OpEntry> = {
  RotaryEmbedding: {
    kernel: rotaryEmbedding,
    opsets: [23],
    refuse: (view) => dtypeIn(view, 0, ['float32']),
    note: '3-D and 4-D, interleaved or halves, partial rotary dims',
  },
  Attention: {
    kernel: attention,
    opsets: [23],
    refuse: (view) => dtypeIn(view, 0, ['float32']),
    note: '3-D and 4-D, masks, causal, softcap, grouped kv heads, past keys and values, nonpad_kv_seqlen',
  },
};
