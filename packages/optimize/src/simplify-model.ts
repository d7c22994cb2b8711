import { GraphIndex, pruneUnused } from './graph-index.js';
import type { ModelProto } from './onnx-model.js';
import { constantsToInitializers, decodeModel, encodeModel, graphOf, onnxOpset } from './onnx-model.js';
import { foldConvInputs } from './simplify/fold-conv-input.js';
import { foldConvOutputs } from './simplify/fold-conv-output.js';
import { fuseHardSwish } from './simplify/fuse-hardswish.js';

export interface SimplifyReport {
  nodesBefore: number;
  nodesAfter: number;
  /** Batch norms, scales and shifts folded into the Conv before them. */
  foldedIntoConvOutputs: number;
  /** Scales and shifts folded into the 1×1 Conv after them. */
  foldedIntoConvInputs: number;
  fusedHardSwish: number;
}

/** Simplifies a decoded model in place (see simplifyModel). */
export function simplifyGraph(model: ModelProto): SimplifyReport {
  const graph = graphOf(model);
  const makeIndex = (): GraphIndex => new GraphIndex(graph);
  constantsToInitializers(graph);
  const count = (): number => graph.node.length;
  const nodesBefore = count();
  const foldedIntoConvOutputs = foldConvOutputs(graph, makeIndex);
  const fusedHardSwish = fuseHardSwish(graph, onnxOpset(model), makeIndex);
  pruneUnused(graph);
  const foldedIntoConvInputs = foldConvInputs(graph, makeIndex);
  pruneUnused(graph);
  return { nodesBefore, nodesAfter: count(), foldedIntoConvOutputs, foldedIntoConvInputs, fusedHardSwish };
}

/**
 * Exact graph simplification for speed on every backend: Constant nodes become initializers, per-channel affine maps
 * and batch norms fold into convolutions, spelled-out hard-swish becomes one op. Outputs change only by float
 * rounding. Nodes in other domains and anything unmatched are left as they are.
 */
export function simplifyModel(bytes: Uint8Array): { model: Uint8Array; report: SimplifyReport } {
  const model = decodeModel(bytes);
  const report = simplifyGraph(model);
  return { model: encodeModel(model), report };
}
