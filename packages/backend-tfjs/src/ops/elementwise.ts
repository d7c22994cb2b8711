import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import type { HostTensor, Value } from './value.js';
import { host, isHost, toHost, toTensor } from './value.js';

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
  const data = Array.from({ length: size }, (_, i) => f(a.data[index(da, i)] as number, b.data[index(db, i)] as number));
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

const unary = (f: (x: tf.Tensor) => tf.Tensor): OpKernel => (ctx) => [f(toTensor(input(ctx, 0)))];

/** Min, Max, Mean over any number of inputs, with broadcasting. */
const variadic =
  (combine: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, finish: (t: tf.Tensor, n: number) => tf.Tensor = (t) => t): OpKernel =>
  (ctx) => {
    const inputs = ctx.inputs.filter((v): v is Value => v !== undefined).map(toTensor);
    return [finish(inputs.reduce(combine), inputs.length)];
  };

/** alpha·(eᕽ − 1) below zero, x above (Elu; Selu scales both sides by gamma). */
const exponentialLinear = (x: tf.Tensor, alpha: number, gamma = 1): tf.Tensor => tf.mul(gamma, tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1))));

export const elementwiseOps: Record<string, OpKernel> = {
  Add: binary(tf.add, (x, y) => x + y),
  Sub: binary(tf.sub, (x, y) => x - y),
  Mul: binary(tf.mul, (x, y) => x * y),
  Div: binary((a, b) => (a.dtype === 'int32' ? tf.floorDiv(a, b) : tf.div(a, b)), (x, y) => (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y)),
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
  Selu: (ctx) => [exponentialLinear(toTensor(input(ctx, 0)), attr(ctx, 'alpha', 1.67326319217681884765625), attr(ctx, 'gamma', 1.05070102214813232421875))],
  PRelu: (ctx) => {
    const x = toTensor(input(ctx, 0));
    return [tf.where(tf.less(x, 0), tf.mul(x, toTensor(input(ctx, 1))), x)];
  },
  Relu: unary(tf.relu),
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
  // Inference: dropout is the identity (and its optional mask output is not produced).
  Dropout: (ctx) => [input(ctx, 0)],
  LeakyRelu: (ctx) => [tf.leakyRelu(toTensor(input(ctx, 0)), attr(ctx, 'alpha', 0.01))],
  HardSigmoid: (ctx) => {
    const x = toTensor(input(ctx, 0));
    return [tf.clipByValue(tf.add(tf.mul(x, attr(ctx, 'alpha', 0.2)), attr(ctx, 'beta', 0.5)), 0, 1)];
  },
  Clip: (ctx) => {
    const x = toTensor(input(ctx, 0));
    // Opset < 11: bounds are attributes; 11+: optional inputs.
    const bound = (i: number, name: string, fallback: number): number => {
      if (ctx.opset < 11) return attr(ctx, name, fallback);
      const v = ctx.inputs[i];
      return v === undefined ? fallback : (toHost(v).data[0] as number);
    };
    return [tf.clipByValue(x, bound(1, 'min', -3.4e38), bound(2, 'max', 3.4e38))];
  },
  Sum: (ctx) => [ctx.inputs.map((v) => toTensor(v as Value)).reduce((a, b) => tf.add(a, b))],
  Cast: (ctx) => {
    const to = attr(ctx, 'to', 1);
    const v = input(ctx, 0);
    const dtype = to === 1 || to === 11 ? 'float32' : to === 9 ? 'bool' : 'int32';
    if (isHost(v)) return [host(to === 7 ? 'int64' : dtype === 'int32' ? 'int32' : dtype, v.dims, dtype === 'float32' ? v.data : v.data.map(Math.trunc))];
    return [tf.cast(v, dtype)];
  },
  Where: (ctx) => [tf.where(tf.cast(toTensor(input(ctx, 0)), 'bool'), toTensor(input(ctx, 1)), toTensor(input(ctx, 2)))],
};
