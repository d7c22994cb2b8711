import * as tf from '@tensorflow/tfjs-core';
import type { OpEntry, OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import type { HostTensor, Value } from './value.js';
import { dimsOf, host, isHost, toHost, toTensor } from './value.js';
import { onnxElementTypeName } from '@polyinfer/core';
import type { LoadView, UnsupportedForm } from './op-context.js';
import { truncDiv } from './integer.js';
import { NARROW_INTEGERS, TFJS_DTYPES, wrapInteger } from '../tfjs-dtypes.js';

/** The tfjs dtype an ONNX element type computes in. */
const tfDtypeOf = (dtype: string): 'float32' | 'int32' | 'bool' =>
  dtype === 'float32' ? 'float32' : dtype === 'bool' ? 'bool' : 'int32';

/** A value as ONNX's Cast gives it: floats truncate toward zero into integers, narrow integers wrap, bool is ≠ 0. */
function castTo(v: Value, to: string): Value {
  const target = tfDtypeOf(to);
  if (isHost(v)) {
    const data = v.data.map((x) =>
      target === 'float32' ? x : target === 'bool' ? Number(x !== 0) : wrapInteger(Math.trunc(x), to),
    );
    return host(to === 'int64' ? 'int64' : target, v.dims, data);
  }
  if (target === 'bool') return tf.notEqual(v, tf.scalar(0, v.dtype));
  let y = tf.cast(v, target);
  const narrow = NARROW_INTEGERS[to];
  if (narrow) {
    // In int32 throughout (a JS number would make these float32).
    const m = tf.scalar(2 ** narrow.bits, 'int32');
    const u = tf.sub(y, tf.mul(tf.floorDiv(y, m), m));
    y = narrow.signed
      ? tf.sub(u, tf.mul(tf.cast(tf.greater(u, tf.scalar(2 ** (narrow.bits - 1) - 1, 'int32')), 'int32'), m))
      : u;
  }
  return y;
}

/** Casts from or to an element type tfjs does not hold (float16, float64, strings…) are refused at load. */
function castForm(view: LoadView): UnsupportedForm | undefined {
  const to =
    view.node.opType === 'Cast'
      ? onnxElementTypeName((view.node.attributes.get('to') as number | undefined) ?? 1)
      : view.dtypeOf(view.node.inputs[1]);
  if (to !== undefined && !(TFJS_DTYPES as readonly string[]).includes(to)) return { attribute: 'to', value: to };
  const from = view.dtypeOf(view.node.inputs[0]);
  return from !== undefined && !(TFJS_DTYPES as readonly string[]).includes(from)
    ? { attribute: 'input 0 dtype', value: from }
    : undefined;
}

/** Numpy broadcasting on host tensors (shape arithmetic is small). */
function hostBinary(a: HostTensor, b: HostTensor, f: (x: number, y: number) => number): HostTensor {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pad = (d: number[]): number[] => [...Array(rank - d.length).fill(1), ...d];
  const da = pad(a.dims);
  const db = pad(b.dims);
  const dims = da.map((x, i) => Math.max(x, db[i] as number));
  const size = dims.reduce((p, q) => p * q, 1);
  const index = (d: number[], flat: number): number => {
    let offset = 0;
    let stride = 1;
    let rest = flat;
    const coords = new Array<number>(rank);
    for (let i = rank - 1; i >= 0; i--) {
      coords[i] = rest % (dims[i] as number);
      rest = Math.floor(rest / (dims[i] as number));
    }
    for (let i = rank - 1; i >= 0; i--) {
      offset += ((d[i] as number) === 1 ? 0 : (coords[i] as number)) * stride;
      stride *= d[i] as number;
    }
    return offset;
  };
  const data = Array.from({ length: size }, (_, i) =>
    f(a.data[index(da, i)] as number, b.data[index(db, i)] as number),
  );
  return host(a.dtype === 'float32' || b.dtype === 'float32' ? 'float32' : a.dtype, dims, data);
}

function binary(device: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, onHost: (x: number, y: number) => number): OpKernel {
  return (ctx) => {
    const a = input(ctx, 0);
    const b = input(ctx, 1);
    if (isHost(a) && isHost(b)) return [hostBinary(a, b, onHost)];
    let ta = toTensor(a);
    let tb = toTensor(b);
    if (ta.dtype !== tb.dtype) [ta, tb] = [tf.cast(ta, 'float32'), tf.cast(tb, 'float32')];
    return [device(ta, tb)];
  };
}

const unary =
  (f: (x: tf.Tensor) => tf.Tensor): OpKernel =>
  (ctx) => [f(toTensor(input(ctx, 0)))];

/** Min, Max, Mean over any number of inputs, with broadcasting. */
const variadic =
  (
    combine: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
    finish: (t: tf.Tensor, n: number) => tf.Tensor = (t) => t,
  ): OpKernel =>
  (ctx) => {
    const inputs = ctx.inputs.filter((v): v is Value => v !== undefined).map(toTensor);
    return [finish(inputs.reduce(combine), inputs.length)];
  };

/** alpha·(eᕽ − 1) below zero, x above (Elu; Selu scales both sides by gamma). */
const exponentialLinear = (x: tf.Tensor, alpha: number, gamma = 1): tf.Tensor =>
  tf.mul(gamma, tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1))));

export const elementwiseOps: Record<string, OpEntry> = {
  Add: binary(tf.add, (x, y) => x + y),
  Sub: binary(tf.sub, (x, y) => x - y),
  Mul: binary(tf.mul, (x, y) => x * y),
  // Integer division truncates toward zero in ONNX (−1 / 2 = 0), as C's; tf.floorDiv rounds down.
  Div: binary(
    (a, b) => (a.dtype === 'int32' ? truncDiv(a, b) : tf.div(a, b)),
    (x, y) => (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y),
  ),
  Pow: binary(tf.pow, (x, y) => x ** y),
  Equal: binary(tf.equal, (x, y) => Number(x === y)),
  Greater: binary(tf.greater, (x, y) => Number(x > y)),
  Less: binary(tf.less, (x, y) => Number(x < y)),
  GreaterOrEqual: binary(tf.greaterEqual, (x, y) => Number(x >= y)),
  LessOrEqual: binary(tf.lessEqual, (x, y) => Number(x <= y)),
  And: (ctx) => [tf.logicalAnd(tf.cast(toTensor(input(ctx, 0)), 'bool'), tf.cast(toTensor(input(ctx, 1)), 'bool'))],
  Or: (ctx) => [tf.logicalOr(tf.cast(toTensor(input(ctx, 0)), 'bool'), tf.cast(toTensor(input(ctx, 1)), 'bool'))],
  Xor: (ctx) => [tf.logicalXor(tf.cast(toTensor(input(ctx, 0)), 'bool'), tf.cast(toTensor(input(ctx, 1)), 'bool'))],
  Not: (ctx) => [tf.logicalNot(tf.cast(toTensor(input(ctx, 0)), 'bool'))],
  Min: variadic(tf.minimum),
  Max: variadic(tf.maximum),
  Mean: variadic(tf.add, (t, n) => tf.div(t, n)),
  Sin: unary(tf.sin),
  Tan: unary(tf.tan),
  Asin: unary(tf.asin),
  Acos: unary(tf.acos),
  Atan: unary(tf.atan),
  Sinh: unary(tf.sinh),
  Cosh: unary(tf.cosh),
  Asinh: unary(tf.asinh),
  Acosh: unary(tf.acosh),
  Atanh: unary(tf.atanh),
  IsNaN: unary(tf.isNaN),
  IsInf: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const positive = attr(ctx, 'detect_positive', 1) === 1;
    const negative = attr(ctx, 'detect_negative', 1) === 1;
    if (positive && negative) return [tf.isInf(x)];
    if (!positive && !negative) return [tf.cast(tf.zerosLike(x), 'bool')];
    return [tf.equal(x, positive ? Infinity : -Infinity)];
  },
  ThresholdedRelu: (ctx) => {
    const x = toTensor(input(ctx, 0));
    return [tf.where(tf.greater(x, attr(ctx, 'alpha', 1)), x, tf.zerosLike(x))];
  },
  Shrink: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const lambd = attr(ctx, 'lambd', 0.5);
    const bias = attr(ctx, 'bias', 0);
    return [
      tf.where(tf.less(x, -lambd), tf.add(x, bias), tf.where(tf.greater(x, lambd), tf.sub(x, bias), tf.zerosLike(x))),
    ];
  },
  Celu: (ctx) => {
    const x = toTensor(input(ctx, 0));
    const alpha = attr(ctx, 'alpha', 1);
    return [tf.add(tf.relu(x), tf.minimum(0, tf.mul(alpha, tf.sub(tf.exp(tf.div(x, alpha)), 1))))];
  },
  Cos: unary(tf.cos),
  Sign: unary(tf.sign),
  // Halves to even, as ONNX Round and tf.round both do.
  Round: unary(tf.round),
  Softplus: unary(tf.softplus),
  Softsign: unary((x) => tf.div(x, tf.add(1, tf.abs(x)))),
  Mish: unary((x) => tf.mul(x, tf.tanh(tf.softplus(x)))),
  HardSwish: unary((x) => tf.mul(x, tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1))),
  Gelu: (ctx) => {
    const x = toTensor(input(ctx, 0));
    if (attr(ctx, 'approximate', 'none') === 'tanh') {
      const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return [tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)))];
    }
    return [tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))];
  },
  Elu: (ctx) => [exponentialLinear(toTensor(input(ctx, 0)), attr(ctx, 'alpha', 1))],
  Selu: (ctx) => [
    exponentialLinear(
      toTensor(input(ctx, 0)),
      attr(ctx, 'alpha', 1.67326319217681884765625),
      attr(ctx, 'gamma', 1.05070102214813232421875),
    ),
  ],
  PRelu: (ctx) => {
    const x = toTensor(input(ctx, 0));
    let slope = toTensor(input(ctx, 1));
    // Before opset 7 a 1-D slope of C values is per channel (axis 1), not numpy-broadcast against the last axis.
    if (ctx.opset < 7 && slope.rank === 1 && slope.size > 1 && slope.size === x.shape[1])
      slope = tf.reshape(slope, [1, slope.size, ...Array(x.rank - 2).fill(1)]);
    return [tf.where(tf.less(x, 0), tf.mul(x, slope), x)];
  },
  Relu: unary(tf.relu),
  // SwiGLU (opset 28): Swish(a, alpha) · b.
  SwiGLU: (ctx) => {
    const a = toTensor(input(ctx, 0));
    return [tf.mul(tf.mul(a, tf.sigmoid(tf.mul(a, attr(ctx, 'alpha', 1)))), toTensor(input(ctx, 1)))];
  },
  Swish: (ctx) => {
    const x = toTensor(input(ctx, 0));
    return [tf.mul(x, tf.sigmoid(tf.mul(x, attr(ctx, 'alpha', 1))))];
  },
  Sigmoid: unary(tf.sigmoid),
  Sqrt: unary(tf.sqrt),
  Exp: unary(tf.exp),
  Log: unary(tf.log),
  Neg: unary(tf.neg),
  Abs: unary(tf.abs),
  Tanh: unary(tf.tanh),
  Erf: unary(tf.erf),
  Floor: unary(tf.floor),
  Ceil: unary(tf.ceil),
  Reciprocal: unary(tf.reciprocal),
  Identity: (ctx) => [input(ctx, 0)],
  // Inference: dropout is the identity, and its mask all true. Training mode drops at random, so the importer runs it
  // only where that is the identity too (a ratio of 0): refused at load when constants say otherwise, an error at run
  // when feeds do.
  Dropout: {
    kernel: (ctx) => {
      const x = input(ctx, 0);
      const training = ctx.opset >= 12 && ctx.inputs[2] !== undefined && toHost(ctx.inputs[2]).data[0] !== 0;
      const ratio = ctx.opset >= 12 && ctx.inputs[1] !== undefined ? (toHost(ctx.inputs[1]).data[0] as number) : 0.5;
      if (training && ratio !== 0)
        throw new RangeError(
          `training-mode Dropout with ratio ${ratio} is random; the tfjs importer runs Dropout for inference`,
        );
      return ctx.node.outputs[1] ? [x, tf.ones(dimsOf(x), 'bool')] : [x];
    },
    refuse: ({ node, constants, opset }) => {
      const training = opset >= 12 ? constants.get(node.inputs[2] ?? '') : undefined;
      if (!training || training.data[0] === 0) return undefined;
      const ratio = constants.get(node.inputs[1] ?? '');
      const ratioValue = node.inputs[1] ? ratio?.data[0] : 0.5;
      return ratioValue === 0 || (node.inputs[1] && !ratio)
        ? undefined
        : { attribute: 'input 2 (training_mode)', value: 'true' };
    },
  },
  LeakyRelu: (ctx) => [tf.leakyRelu(toTensor(input(ctx, 0)), attr(ctx, 'alpha', 0.01))],
  HardSigmoid: (ctx) => {
    const x = toTensor(input(ctx, 0));
    return [tf.clipByValue(tf.add(tf.mul(x, attr(ctx, 'alpha', 0.2)), attr(ctx, 'beta', 0.5)), 0, 1)];
  },
  Clip: (ctx) => {
    let x = toTensor(input(ctx, 0));
    // Opset < 11: bounds are attributes; 11+: optional inputs. A bound not given is not applied (a float default
    // of ±3.4e38 would not survive an integer tensor).
    const bound = (i: number, name: string): number | undefined => {
      if (ctx.opset < 11) return ctx.node.attributes.get(name) as number | undefined;
      const v = ctx.inputs[i];
      return v === undefined ? undefined : (toHost(v).data[0] as number);
    };
    const lo = bound(1, 'min');
    const hi = bound(2, 'max');
    if (lo !== undefined) x = tf.maximum(x, tf.scalar(lo, x.dtype));
    if (hi !== undefined) x = tf.minimum(x, tf.scalar(hi, x.dtype));
    return [x];
  },
  Sum: (ctx) => [ctx.inputs.map((v) => toTensor(v as Value)).reduce((a, b) => tf.add(a, b))],
  Cast: { kernel: (ctx) => [castTo(input(ctx, 0), onnxElementTypeName(attr(ctx, 'to', 1)))], refuse: castForm },
  CastLike: {
    kernel: (ctx) => [castTo(input(ctx, 0), ctx.dtypeOf(ctx.node.inputs[1]) ?? 'float32')],
    refuse: castForm,
    opsets: [15],
  },
  Where: (ctx) => [
    tf.where(tf.cast(toTensor(input(ctx, 0)), 'bool'), toTensor(input(ctx, 1)), toTensor(input(ctx, 2))),
  ],
};
