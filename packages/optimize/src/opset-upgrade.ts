import type { GraphProto, ModelProto, NodeProto, TensorProto } from './onnx-model.js';
import { attribute, dropAttribute, graphOf, int64Tensor, ints, onnx, onnxOpset, setOnnxOpset } from './onnx-model.js';
import { QuantizationError } from './quantization-error.js';

/** Per-axis QuantizeLinear/DequantizeLinear (one scale per output channel) needs operator set 13. */
export const QDQ_OPSET = 13;
/** HardSwish arrived at 14; from 13 to 14 only types and defaulted attributes changed, so the upgrade goes there. */
export const HARDSWISH_OPSET = 14;

/** Ops whose inputs changed at opset 10 or 11 in ways this upgrade does not rewrite: the model's opset must be at least this. */
const REWRITTEN_SINCE: Record<string, number> = {
  Upsample: Infinity,
  Scatter: Infinity,
  Resize: 11,
  TopK: 11,
  Pad: 11,
};
/** Ops whose `axes` (or `split`) attribute became an input at opset 13. */
const ATTRIBUTE_TO_INPUT: Record<string, string> = {
  Squeeze: 'axes',
  Unsqueeze: 'axes',
  ReduceSum: 'axes',
  Split: 'split',
};

interface Upgrade {
  model: ModelProto;
  graph: GraphProto;
  from: number;
  ranks: ReadonlyMap<string, { rank: number }>;
  added: TensorProto[];
}

/**
 * Raises a model's default operator set to `target` (13 or 14, from 9 or later), moving the attributes that became inputs (Clip's
 * bounds at 11, Slice's starts/ends/axes at 10, Squeeze/Unsqueeze/ReduceSum axes and Split's sizes at 13) into initializers. Softmax (and
 * LogSoftmax, Hardmax) changed meaning at 13 (one axis instead of all trailing ones): it is kept only where its axis is the last, which `ranks`
 * (each tensor's rank, from a calibration run) tells. Anything else that changed is refused by name.
 */
export function upgradeOpset(
  model: ModelProto,
  ranks: ReadonlyMap<string, { rank: number }>,
  target = QDQ_OPSET,
): void {
  const from = onnxOpset(model);
  if (from >= target) return;
  if (from < 9)
    throw new QuantizationError(`operator set ${from} is older than 9, the oldest this upgrade reads`, { opset: from });
  const graph = graphOf(model);
  const upgrade: Upgrade = { model, graph, from, ranks, added: [] };
  for (const n of graph.node) {
    if (n.domain && n.domain !== 'ai.onnx') continue;
    upgradeNode(n, upgrade);
  }
  graph.initializer.push(...upgrade.added);
  setOnnxOpset(model, target);
}

function refuse(n: NodeProto, from: number, why: string): never {
  throw new QuantizationError(`${n.opType} node "${n.name}" (opset ${from}) ${why}`, {
    opType: n.opType,
    node: n.name,
    opset: from,
  });
}

function constantInput(n: NodeProto, u: Upgrade, key: string, tensor: (name: string) => TensorProto): string {
  const name = `${n.name || (n.output ?? [])[0]}__${key}`;
  u.added.push(tensor(name));
  return name;
}

function upgradeNode(n: NodeProto, u: Upgrade): void {
  const op = n.opType as string;
  if (u.from < (REWRITTEN_SINCE[op] ?? 0))
    refuse(
      n,
      u.from,
      `changed its inputs or meaning before opset ${QDQ_OPSET}; upgrade the model with onnx's version converter first`,
    );
  if (op === 'Clip' && u.from < 11) {
    const min = attribute(n, 'min')?.f ?? -3.4028234663852886e38;
    const max = attribute(n, 'max')?.f ?? 3.4028234663852886e38;
    dropAttribute(n, 'min');
    dropAttribute(n, 'max');
    const scalar = (value: number) => (name: string) =>
      onnx.TensorProto.create({ name, dims: [], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [value] });
    n.input = [
      (n.input ?? [])[0] as string,
      constantInput(n, u, 'min', scalar(min)),
      constantInput(n, u, 'max', scalar(max)),
    ];
  } else if (op === 'Slice' && u.from < 10) {
    const starts = ints(attribute(n, 'starts'));
    const ends = ints(attribute(n, 'ends'));
    const axes = attribute(n, 'axes') ? ints(attribute(n, 'axes')) : starts.map((_, i) => i);
    for (const name of ['starts', 'ends', 'axes']) dropAttribute(n, name);
    n.input = [
      (n.input ?? [])[0] as string,
      constantInput(n, u, 'starts', (name) => int64Tensor(name, starts)),
      constantInput(n, u, 'ends', (name) => int64Tensor(name, ends)),
      constantInput(n, u, 'axes', (name) => int64Tensor(name, axes)),
    ];
  } else if (ATTRIBUTE_TO_INPUT[op] && attribute(n, ATTRIBUTE_TO_INPUT[op])) {
    const key = ATTRIBUTE_TO_INPUT[op];
    const values = ints(attribute(n, key));
    dropAttribute(n, key);
    n.input = [(n.input ?? [])[0] as string, constantInput(n, u, key, (name) => int64Tensor(name, values))];
  } else if (op === 'Softmax' || op === 'LogSoftmax' || op === 'Hardmax') {
    const input = (n.input ?? [])[0] as string;
    const rank = u.ranks.get(input)?.rank;
    const axis = attribute(n, 'axis')?.i ?? 1;
    const last = rank !== undefined && (Number(axis) === -1 || Number(axis) === rank - 1);
    if (!last)
      refuse(
        n,
        u.from,
        `normalises over axis ${Number(axis)} of a rank-${rank ?? '?'} input; from opset 13 Softmax means one axis only`,
      );
  } else if (op === 'Dropout' && u.from < 12) {
    dropAttribute(n, 'ratio');
  }
}
