import type { GraphIndex } from '../graph-index.js';
import type { GraphProto, NodeProto } from '../onnx-model.js';
import { attribute, node, onnx } from '../onnx-model.js';

function scalar(index: GraphIndex, name: string | undefined): number | undefined {
  const c = index.floatConstant(name);
  return c && c.values.length === 1 ? c.values[0] : undefined;
}

/** The other input of a two-input node, when one input is `name`. */
function otherInput(n: NodeProto, name: string): string | undefined {
  const [a, b] = n.input ?? [];
  return a === name ? b : b === name ? a : undefined;
}

function clipBounds(index: GraphIndex, clip: NodeProto): [number | undefined, number | undefined] {
  const inputs = clip.input ?? [];
  if (inputs.length > 1) return [scalar(index, inputs[1]), scalar(index, inputs[2])];
  return [attribute(clip, 'min')?.f ?? undefined, attribute(clip, 'max')?.f ?? undefined];
}

/** X when `clip` computes Clip(X + 3, 0, 6) with an Add read by nothing else. */
function hardSwishInput(index: GraphIndex, clip: NodeProto | undefined): string | undefined {
  if (!index.isOp(clip, 'Clip')) return undefined;
  const [min, max] = clipBounds(index, clip);
  if (min !== 0 || max !== 6) return undefined;
  const add = index.producer.get((clip.input ?? [])[0] as string);
  if (!index.isOp(add, 'Add') || !index.soleConsumer((add.output ?? [])[0] as string)) return undefined;
  const [a, b] = add.input ?? [];
  if (scalar(index, b) === 3) return a;
  if (scalar(index, a) === 3) return b;
  return undefined;
}

function isHardSwishGate(gate: NodeProto): boolean {
  const alpha = attribute(gate, 'alpha')?.f ?? 0.2;
  const beta = attribute(gate, 'beta')?.f ?? 0.5;
  return Math.abs(alpha - 1 / 6) < 1e-6 && beta === 0.5;
}

/** [X, the node whose output is the hard-swish] for x·clip(x+3,0,6)/6 written either as (x·c)/6 or x·(c/6). */
function match(index: GraphIndex, n: NodeProto): string | undefined {
  if (index.isOp(n, 'Div') && scalar(index, (n.input ?? [])[1]) === 6) {
    const mul = index.producer.get((n.input ?? [])[0] as string);
    if (!index.isOp(mul, 'Mul') || !index.soleConsumer((mul.output ?? [])[0] as string)) return undefined;
    for (const candidate of mul.input ?? []) {
      const clip = index.producer.get(candidate);
      const x = hardSwishInput(index, clip);
      if (x !== undefined && otherInput(mul, candidate) === x && index.soleConsumer(candidate)) return x;
    }
  }
  if (index.isOp(n, 'Mul')) {
    for (const candidate of n.input ?? []) {
      // x·HardSigmoid(x; 1/6, 1/2): the form this pass writes below opset 14, fused once the model reaches 14.
      const gate = index.producer.get(candidate);
      if (
        index.isOp(gate, 'HardSigmoid') &&
        index.soleConsumer(candidate) &&
        isHardSwishGate(gate) &&
        otherInput(n, candidate) === (gate.input ?? [])[0]
      )
        return otherInput(n, candidate);
    }
    for (const candidate of n.input ?? []) {
      const div = index.producer.get(candidate);
      if (!index.isOp(div, 'Div') || scalar(index, (div.input ?? [])[1]) !== 6 || !index.soleConsumer(candidate))
        continue;
      const clipOut = (div.input ?? [])[0] as string;
      const x = hardSwishInput(index, index.producer.get(clipOut));
      if (x !== undefined && otherInput(n, candidate) === x && index.soleConsumer(clipOut)) return x;
    }
  }
  return undefined;
}

/**
 * Rewrites x·clip(x+3, 0, 6)/6 (hard-swish spelled out in four elementwise ops, as paddle2onnx exports it) as one
 * HardSwish from opset 14, or as HardSigmoid(x; 1/6, 1/2)·x on older operator sets: four passes over the activation
 * become one or two. The nodes left unread are pruned by the caller.
 */
export function fuseHardSwish(graph: GraphProto, opset: number, makeIndex: () => GraphIndex): number {
  const index = makeIndex();
  const replacements = new Map<NodeProto, NodeProto[]>();
  for (const n of graph.node) {
    const x = match(index, n);
    if (
      x === undefined ||
      (opset < 14 &&
        index.isOp(n, 'Mul') &&
        (n.input ?? []).some((i) => index.isOp(index.producer.get(i), 'HardSigmoid')))
    )
      continue;
    const y = (n.output ?? [])[0] as string;
    const name = `${n.name || y}__hardswish`;
    replacements.set(
      n,
      opset >= 14
        ? [node('HardSwish', [x], [y], name)]
        : [
            node('HardSigmoid', [x], [`${y}__gate`], `${name}_gate`, [
              onnx.AttributeProto.create({ name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 1 / 6 }),
              onnx.AttributeProto.create({ name: 'beta', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.5 }),
            ]),
            node('Mul', [x, `${y}__gate`], [y], name),
          ],
    );
  }
  graph.node = graph.node.flatMap((n) => replacements.get(n) ?? [n]);
  return replacements.size;
}
