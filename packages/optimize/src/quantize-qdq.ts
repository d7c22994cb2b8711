import type { TensorRange } from './calibrate.js';
import type { GraphProto, NodeProto, TensorProto } from './onnx-model.js';
import {
  dimsOf,
  floatTensor,
  floatValues,
  int32Tensor,
  int8Tensor,
  intAttribute,
  node,
  onnx,
  uint8Tensor,
} from './onnx-model.js';

/** The op types the quantiser turns into int8 (onnxruntime fuses their QDQ groups into QLinearConv / QLinearMatMul). */
export type QuantizableOp = 'Conv' | 'MatMul';

export interface QdqOptions {
  ops?: readonly QuantizableOp[];
  /** Node names kept in float (the first layer, a classifier head…). */
  exclude?: readonly string[];
}

export interface QuantizedNode {
  node: string;
  opType: string;
}

export interface SkippedNode extends QuantizedNode {
  reason: string;
}

export interface QdqReport {
  quantized: QuantizedNode[];
  skipped: SkippedNode[];
}

/** uint8 activations, asymmetric: the range always holds 0 so that zero padding is exact. */
function activationParams(range: TensorRange): { scale: number; zeroPoint: number } {
  const min = Math.min(range.min, 0);
  const max = Math.max(range.max, 0);
  const scale = max > min ? (max - min) / 255 : 1;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-min / scale))) };
}

/** int8 weights, symmetric, one scale per `channels` slice of the leading axis (1 = per tensor). */
function quantizeWeights(values: Float32Array, channels: number): { q: Int8Array; scales: Float32Array } {
  const per = values.length / channels;
  const q = new Int8Array(values.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let absMax = 0;
    for (let i = c * per; i < (c + 1) * per; i++) absMax = Math.max(absMax, Math.abs(values[i] as number));
    const scale = absMax > 0 ? absMax / 127 : 1;
    scales[c] = scale;
    for (let i = c * per; i < (c + 1) * per; i++)
      q[i] = Math.max(-127, Math.min(127, Math.round((values[i] as number) / scale)));
  }
  return { q, scales };
}

/**
 * Rewrites Conv and MatMul nodes with a float weight initializer into onnxruntime's QDQ form: each one's activation
 * input and output pass through QuantizeLinear → DequantizeLinear with the calibrated uint8 range, its weight is
 * int8 (per output channel for Conv) behind a DequantizeLinear, and a Conv bias is int32 at input scale × weight
 * scale. onnxruntime fuses each group into one integer kernel. The graph must be at opset 13 (per-axis scales).
 */
export function insertQdq(
  graph: GraphProto,
  ranges: ReadonlyMap<string, TensorRange>,
  options: QdqOptions = {},
): QdqReport {
  const ops = new Set<string>(options.ops ?? ['Conv', 'MatMul']);
  const exclude = new Set(options.exclude ?? []);
  const initializers = new Map(graph.initializer.map((t) => [t.name as string, t]));
  const graphOutputs = new Set(graph.output.map((o) => o.name));
  const report: QdqReport = { quantized: [], skipped: [] };

  const whyNot = (n: NodeProto): string | undefined => {
    const [x, w] = n.input ?? [];
    const y = (n.output ?? [])[0] as string;
    if (exclude.has(n.name as string)) return 'excluded by option';
    const weight = w === undefined ? undefined : initializers.get(w);
    if (!weight || weight.dataType !== onnx.TensorProto.DataType.FLOAT)
      return 'its second input is not a float initializer';
    if (n.opType === 'MatMul' && dimsOf(weight).length !== 2) return 'its weight is not a matrix';
    if (!ranges.has(x as string) || !ranges.has(y)) return 'calibration saw no range for its input or output';
    if (graphOutputs.has(y)) return 'its output is a graph output (kept exact)';
    const bias = n.input?.[2];
    if (bias && !initializers.has(bias)) return 'its bias is not an initializer';
    return undefined;
  };
  const chosen = new Set<NodeProto>();
  for (const n of graph.node) {
    if (!ops.has(n.opType as string) || (n.domain && n.domain !== 'ai.onnx')) continue;
    const reason = whyNot(n);
    if (reason) report.skipped.push({ node: n.name as string, opType: n.opType as string, reason });
    else {
      chosen.add(n);
      report.quantized.push({ node: n.name as string, opType: n.opType as string });
    }
  }

  const added: TensorProto[] = [];
  const dequantized = new Map<string, string>(); // float tensor → the DequantizeLinear output that replaces it
  const scaleOf = new Map<string, number | Float32Array>();
  const quantizedOutputs = new Set<string>([...chosen].map((n) => (n.output ?? [])[0] as string));
  const nodes: NodeProto[] = [];

  const qdqPair = (tensor: string, source: string, target: string): NodeProto[] => {
    const { scale, zeroPoint } = activationParams(ranges.get(tensor) as TensorRange);
    scaleOf.set(tensor, scale);
    added.push(
      floatTensor(`${tensor}__scale`, [], Float32Array.of(scale)),
      uint8Tensor(`${tensor}__zero_point`, [], Uint8Array.of(zeroPoint)),
    );
    return [
      node(
        'QuantizeLinear',
        [source, `${tensor}__scale`, `${tensor}__zero_point`],
        [`${tensor}__u8`],
        `${tensor}__quantize`,
      ),
      node(
        'DequantizeLinear',
        [`${tensor}__u8`, `${tensor}__scale`, `${tensor}__zero_point`],
        [target],
        `${tensor}__dequantize`,
      ),
    ];
  };
  const weightDq = (name: string, perChannel: boolean): NodeProto[] => {
    if (dequantized.has(name)) return [];
    const tensor = initializers.get(name) as TensorProto;
    const dims = dimsOf(tensor);
    const channels = perChannel ? (dims[0] as number) : 1;
    const { q, scales } = quantizeWeights(floatValues(tensor), channels);
    scaleOf.set(name, scales);
    const scaleDims = perChannel ? [channels] : [];
    added.push(
      int8Tensor(`${name}__i8`, dims, q),
      floatTensor(`${name}__scale`, scaleDims, scales),
      int8Tensor(`${name}__zero_point`, scaleDims, new Int8Array(channels)),
    );
    dequantized.set(name, `${name}__dq`);
    return [
      node(
        'DequantizeLinear',
        [`${name}__i8`, `${name}__scale`, `${name}__zero_point`],
        [`${name}__dq`],
        `${name}__dequantize`,
        perChannel ? [intAttribute('axis', 0)] : [],
      ),
    ];
  };
  const biasDq = (name: string, input: string, weight: string): NodeProto[] => {
    const key = `${name}@${input}`;
    if (dequantized.has(key)) return [];
    const values = floatValues(initializers.get(name) as TensorProto);
    const inputScale = scaleOf.get(input) as number;
    const weightScales = scaleOf.get(weight) as Float32Array;
    const scales = weightScales.map((s) => s * inputScale);
    const q = Int32Array.from(values, (v, c) => Math.round(v / (scales[c] as number)));
    const base = `${name}__for_${input}`;
    added.push(
      int32Tensor(`${base}__i32`, [values.length], q),
      floatTensor(`${base}__scale`, [values.length], scales),
      int32Tensor(`${base}__zero_point`, [values.length], new Int32Array(values.length)),
    );
    dequantized.set(key, `${base}__dq`);
    return [
      node(
        'DequantizeLinear',
        [`${base}__i32`, `${base}__scale`, `${base}__zero_point`],
        [`${base}__dq`],
        `${base}__dequantize`,
        [intAttribute('axis', 0)],
      ),
    ];
  };

  for (const n of graph.node) {
    if (!chosen.has(n)) {
      nodes.push(n);
      continue;
    }
    const inputs = [...(n.input ?? [])];
    const x = inputs[0] as string;
    const w = inputs[1] as string;
    // An input produced by a quantised node is already its DequantizeLinear's output; any other gets a pair here.
    if (!quantizedOutputs.has(x)) {
      if (!dequantized.has(x)) nodes.push(...qdqPair(x, x, `${x}__dq`));
      dequantized.set(x, dequantized.get(x) ?? `${x}__dq`);
      inputs[0] = dequantized.get(x) as string;
    }
    nodes.push(...weightDq(w, n.opType === 'Conv'));
    inputs[1] = dequantized.get(w) as string;
    const bias = inputs[2];
    if (bias) {
      if (!scaleOf.has(x)) scaleOf.set(x, activationParams(ranges.get(x) as TensorRange).scale);
      nodes.push(...biasDq(bias, x, w));
      inputs[2] = dequantized.get(`${bias}@${x}`) as string;
    }
    n.input = inputs;
    const y = (n.output ?? [])[0] as string;
    n.output = [`${y}__float`, ...(n.output ?? []).slice(1)];
    nodes.push(n, ...qdqPair(y, `${y}__float`, y));
  }
  graph.node = nodes;
  // Weights now read through their int8 copies; drop the float ones nothing else reads.
  const read = new Set(nodes.flatMap((n) => n.input ?? []));
  graph.initializer = [...graph.initializer.filter((t) => read.has(t.name as string)), ...added];
  return report;
}
