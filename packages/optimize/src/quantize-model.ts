import type { Feeds } from '@polyinfer/core';
import type { OpenSession } from './calibrate.js';
import { calibrate } from './calibrate.js';
import { decodeModel, encodeModel, graphOf, onnxOpset } from './onnx-model.js';
import { HARDSWISH_OPSET, upgradeOpset } from './opset-upgrade.js';
import { GraphIndex, pruneUnused } from './graph-index.js';
import { fuseHardSwish } from './simplify/fuse-hardswish.js';
import { QuantizationError } from './quantization-error.js';
import type { QdqOptions, QdqReport } from './quantize-qdq.js';
import { insertQdq } from './quantize-qdq.js';
import type { SimplifyReport } from './simplify-model.js';
import { simplifyGraph } from './simplify-model.js';

export interface QuantizeOptions extends QdqOptions {
  /** Typical inputs of the model (real data: calibration sets each activation's int8 range from what it sees). */
  samples: Iterable<Feeds> | AsyncIterable<Feeds>;
  /** Opens a session on the float model for calibration. */
  open: OpenSession;
}

export interface QuantizeReport extends QdqReport {
  simplified: SimplifyReport;
  opsetBefore: number;
  opsetAfter: number;
  calibratedTensors: number;
}

/**
 * Static int8 quantisation of an ONNX model in QDQ form: calibrates activation ranges on the samples with the float
 * model, raises the operator set to 13 where needed, and quantises Conv and MatMul weights and activations.
 * The result runs on any runtime that reads QDQ; onnxruntime turns the groups into integer kernels.
 */
export async function quantizeModel(
  bytes: Uint8Array,
  options: QuantizeOptions,
): Promise<{ model: Uint8Array; report: QuantizeReport }> {
  const model = decodeModel(bytes);
  const graph = graphOf(model);
  const opsetBefore = onnxOpset(model);
  // Folding first: the int8 weights then carry the folded scales, and fewer float ops sit between the int8 ones.
  const simplified = simplifyGraph(model);
  const ops = new Set<string>(options.ops ?? ['Conv', 'MatMul']);
  const tensors = new Set<string>();
  for (const n of graph.node) {
    if (ops.has(n.opType as string)) {
      tensors.add((n.input ?? [])[0] as string);
      tensors.add((n.output ?? [])[0] as string);
    }
    // Softmax's meaning at opset 13 depends on its input's rank.
    if (n.opType === 'Softmax') tensors.add((n.input ?? [])[0] as string);
  }
  const ranges = await calibrate(model, [...tensors], options.samples, options.open);
  if (ranges.size === 0) throw new QuantizationError('calibration produced no ranges (no samples?)');
  upgradeOpset(model, ranges, HARDSWISH_OPSET);
  // At 14 the hard-swish gates the float simplification wrote as HardSigmoid·x become one HardSwish each.
  simplified.fusedHardSwish += fuseHardSwish(graph, HARDSWISH_OPSET, () => new GraphIndex(graph));
  pruneUnused(graph);
  const report = insertQdq(graph, ranges, options);
  return {
    model: encodeModel(model),
    report: { ...report, simplified, opsetBefore, opsetAfter: onnxOpset(model), calibratedTensors: ranges.size },
  };
}
