import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr } from './op-context.js';
import { dtypeIn } from './form-checks.js';
import type { HostTensor, Value } from './value.js';
import { toHost } from './value.js';

/** An operand's subscripts with its ellipsis spelled out as labels of their own (digits: no letter clashes). */
function expand(subscripts: string, rank: number, ellipsisRank: number): string[] {
  const explicit = subscripts.replace('...', '').split('');
  if (!subscripts.includes('...')) {
    if (explicit.length !== rank)
      throw new RangeError(`einsum subscripts "${subscripts}" name ${explicit.length} axes of a rank-${rank} operand`);
    return explicit;
  }
  const own = rank - explicit.length;
  const ellipsis = Array.from({ length: own }, (_, i) => String(ellipsisRank - own + i));
  const [before = '', after = ''] = subscripts.split('...');
  return [...before.split('').filter(Boolean), ...ellipsis, ...after.split('').filter(Boolean)];
}

/**
 * Einsum by its definition: every combination of the labels' values, each output element the sum over the labels the
 * output drops of the operands' products. Computed on the host (exact, any equation: repeated labels take diagonals,
 * ellipses broadcast); meant for the small contractions graphs spell this way, not for a model's main matmuls.
 */
function einsum(ctx: OpContext): Value[] {
  const equation = attr(ctx, 'equation', '').replace(/\s/g, '');
  const operands = ctx.inputs.filter((v): v is Value => v !== undefined).map(toHost);
  const [lhs = '', rhs] = equation.split('->');
  const terms = lhs.split(',');
  if (terms.length !== operands.length)
    throw new RangeError(`einsum "${equation}" has ${terms.length} operands, the node ${operands.length}`);
  const ellipsisRank = Math.max(
    0,
    ...terms.map((t, i) =>
      t.includes('...') ? (operands[i] as HostTensor).dims.length - t.replace('...', '').length : 0,
    ),
  );
  const labels = terms.map((t, i) => expand(t, (operands[i] as HostTensor).dims.length, ellipsisRank));
  const sizes = new Map<string, number>();
  labels.forEach((ls, i) =>
    ls.forEach((l, axis) => {
      const d = (operands[i] as HostTensor).dims[axis] as number;
      const known = sizes.get(l);
      // Ellipsis axes broadcast (1 against n); letters must agree.
      if (known === undefined || known === 1) sizes.set(l, d);
      else if (d !== known && d !== 1) throw new RangeError(`einsum label ${l} has sizes ${known} and ${d}`);
    }),
  );
  const ellipsisLabels = Array.from({ length: ellipsisRank }, (_, i) => String(i));
  const once = [...sizes.keys()]
    .filter((l) => !ellipsisLabels.includes(l) && labels.flat().filter((x) => x === l).length === 1)
    .sort();
  const output =
    rhs === undefined
      ? [...ellipsisLabels, ...once]
      : expand(rhs, rhs.replace('...', '').length + (rhs.includes('...') ? ellipsisRank : 0), ellipsisRank);
  const summed = [...sizes.keys()].filter((l) => !output.includes(l));
  const all = [...output, ...summed];
  const extent = all.map((l) => sizes.get(l) as number);
  const outSize = output.reduce((n, l) => n * (sizes.get(l) as number), 1);
  const result = new Float64Array(outSize);
  const value = new Map<string, number>();
  const offsets = labels.map((ls, i) => {
    const dims = (operands[i] as HostTensor).dims;
    const strides = dims.map((_, a) => dims.slice(a + 1).reduce((p, q) => p * q, 1));
    // A broadcast axis (size 1 against n) always reads index 0.
    return () =>
      ls.reduce(
        (o, l, a) => o + ((dims[a] as number) === 1 ? 0 : (value.get(l) as number)) * (strides[a] as number),
        0,
      );
  });
  const total = extent.reduce((p, q) => p * q, 1);
  const sumSize = total / Math.max(outSize, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    for (let a = all.length - 1; a >= 0; a--) {
      value.set(all[a] as string, rest % (extent[a] as number));
      rest = Math.floor(rest / (extent[a] as number));
    }
    let product = 1;
    operands.forEach((op, i) => (product *= op.data[(offsets[i] as () => number)()] as number));
    const k = Math.floor(flat / sumSize);
    result[k] = (result[k] as number) + product;
  }
  const dims = output.map((l) => sizes.get(l) as number);
  const dtype = operands[0]?.dtype === 'float32' ? 'float32' : 'int32';
  return [tf.tensor(Array.from(result), dims, dtype)];
}

export const einsumOps: Record<string, OpEntry> = {
  Einsum: {
    kernel: einsum,
    opsets: [12],
    refuse: (view) => dtypeIn(view, 0, ['float32', 'int32']),
    note: 'on the host: any equation, for small contractions',
    anyRank: true,
  },
};
