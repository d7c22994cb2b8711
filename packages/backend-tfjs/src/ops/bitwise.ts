import * as tf from '@tensorflow/tfjs-core';
import type { LoadView, OpContext, OpEntry, UnsupportedForm } from './op-context.js';
import { onnxElementTypeName } from '@polyinfer/core';
import { attr, input } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import type { HostTensor, Value } from './value.js';
import { host, isHost, toHost } from './value.js';
import { NARROW_INTEGERS, wrapInteger } from '../tfjs-dtypes.js';

/** Wraps a 32-bit result into the element type's width (uint8 keeps its low byte, int16 its sign…). */
function narrow(dtype: string | undefined, v: number): number {
  return dtype && NARROW_INTEGERS[dtype] ? wrapInteger(v, dtype) : v | 0;
}

/** numpy broadcasting of two host tensors through f (bitwise work is small and exact on the host). */
function broadcast(
  a: HostTensor,
  b: HostTensor,
  f: (x: number, y: number) => number,
): { dims: number[]; data: number[] } {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pad = (d: number[]): number[] => [...Array(rank - d.length).fill(1), ...d];
  const [da, db] = [pad(a.dims), pad(b.dims)];
  const dims = da.map((x, i) => Math.max(x, db[i] as number));
  const size = dims.reduce((p, q) => p * q, 1);
  const offset = (d: number[], flat: number): number => {
    let o = 0;
    let stride = 1;
    for (let i = rank - 1, rest = flat; i >= 0; i--) {
      const coord = rest % (dims[i] as number);
      rest = Math.floor(rest / (dims[i] as number));
      o += ((d[i] as number) === 1 ? 0 : coord) * stride;
      stride *= d[i] as number;
    }
    return o;
  };
  return {
    dims,
    data: Array.from({ length: size }, (_, i) => f(a.data[offset(da, i)] as number, b.data[offset(db, i)] as number)),
  };
}

function back(like: Value, dims: number[], data: number[]): Value {
  return isHost(like) && like.dtype === 'int64' ? host('int64', dims, data) : tf.tensor(data, dims, 'int32');
}

function binary(f: (x: number, y: number) => number): (ctx: OpContext) => Value[] {
  return (ctx) => {
    const dtype = ctx.dtypeOf(ctx.node.inputs[0]);
    const { dims, data } = broadcast(toHost(input(ctx, 0)), toHost(input(ctx, 1)), (x, y) => narrow(dtype, f(x, y)));
    return [back(input(ctx, 0), dims, data)];
  };
}

// int64 is left out: JavaScript's bitwise operators work on 32 bits.
const INTEGERS = ['int32', ...Object.keys(NARROW_INTEGERS)];

/** Typed arrays of the element types BitCast reinterprets (those the importer holds, int64 aside). */
const VIEWS = {
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  bool: Uint8Array,
} as const;
type Viewable = keyof typeof VIEWS;

/** BitCast (opset 26): the same bytes read as another type of the same width (float32 ↔ int32, int8 ↔ uint8…). */
function bitCast(ctx: OpContext): Value[] {
  const x = toHost(input(ctx, 0));
  const from = VIEWS[ctx.dtypeOf(ctx.node.inputs[0]) as Viewable];
  const toName = onnxElementTypeName(attr(ctx, 'to', 1)) as Viewable;
  const bytes = new from(x.data).buffer;
  const data = Array.from(new VIEWS[toName](bytes));
  if (toName === 'bool')
    return [
      tf.tensor(
        data.map((v) => v !== 0),
        x.dims,
        'bool',
      ),
    ];
  return [tf.tensor(data, x.dims, toName === 'float32' ? 'float32' : 'int32')];
}

/** Same width both sides, both of types the importer holds (the width check is ONNX's; the rest is tfjs'). */
function bitCastForm(view: LoadView): UnsupportedForm | undefined {
  const from = view.dtypeOf(view.node.inputs[0]);
  const to = onnxElementTypeName((view.node.attributes.get('to') as number | undefined) ?? 1);
  if (from !== undefined && !(from in VIEWS)) return { attribute: 'input 0 dtype', value: from };
  if (!(to in VIEWS)) return { attribute: 'to', value: to };
  if (from !== undefined && VIEWS[from as Viewable].BYTES_PER_ELEMENT !== VIEWS[to as Viewable].BYTES_PER_ELEMENT)
    return { attribute: 'to (another width)', value: `${from} → ${to}` };
  return undefined;
}

export const bitwiseOps: Record<string, OpEntry> = {
  BitCast: { kernel: bitCast, refuse: bitCastForm, opsets: [26], anyRank: true },
  BitwiseAnd: {
    kernel: binary((x, y) => x & y),
    refuse: (view) => dtypeIn(view, 0, INTEGERS),
    opsets: [18],
    anyRank: true,
  },
  BitwiseOr: {
    kernel: binary((x, y) => x | y),
    refuse: (view) => dtypeIn(view, 0, INTEGERS),
    opsets: [18],
    anyRank: true,
  },
  BitwiseXor: {
    kernel: binary((x, y) => x ^ y),
    refuse: (view) => dtypeIn(view, 0, INTEGERS),
    opsets: [18],
    anyRank: true,
  },
  BitwiseNot: {
    kernel: (ctx) => {
      const x = toHost(input(ctx, 0));
      const dtype = ctx.dtypeOf(ctx.node.inputs[0]);
      return [
        back(
          input(ctx, 0),
          x.dims,
          x.data.map((v) => narrow(dtype, ~v)),
        ),
      ];
    },
    refuse: (view) => dtypeIn(view, 0, INTEGERS),
    opsets: [18],
    anyRank: true,
  },
  // Unsigned types only in ONNX; of those the importer holds uint8 and uint16 (the result wraps to their width).
  BitShift: {
    kernel: (ctx) => {
      const left = attr(ctx, 'direction', 'LEFT') === 'LEFT';
      return binary((x, y) => (y >= 16 ? 0 : left ? x << y : x >>> y))(ctx);
    },
    refuse: (view) => dtypeIn(view, 0, ['uint8', 'uint16']),
    opsets: [11],
    anyRank: true,
  },
};
