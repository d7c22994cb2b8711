import type { OpEntry, OpSpec } from './op-context.js';
import { attentionOps } from './attention.js';
import { bitwiseOps } from './bitwise.js';
import { convOps } from './conv.js';
import { einsumOps } from './einsum.js';
import { elementwiseOps } from './elementwise.js';
import { gridSampleOps } from './grid-sample.js';
import { indexingOps } from './indexing.js';
import { integerOps } from './integer.js';
import { linearOps } from './linear.js';
import { lossOps } from './loss.js';
import { normalizationOps } from './normalization.js';
import { poolOps } from './pool.js';
import { quantizeOps } from './quantize.js';
import { reduceOps } from './reduce.js';
import { resizeOps } from './resize.js';
import { selectionOps } from './selection.js';
import { shapeOps } from './shape.js';
import { signalOps } from './signal.js';

const rows: Record<string, OpEntry> = {
  ...elementwiseOps,
  ...integerOps,
  ...indexingOps,
  ...attentionOps,
  ...lossOps,
  ...quantizeOps,
  ...bitwiseOps,
  ...signalOps,
  ...gridSampleOps,
  ...einsumOps,
  ...selectionOps,
  ...convOps,
  ...poolOps,
  ...normalizationOps,
  ...linearOps,
  ...shapeOps,
  ...reduceOps,
  ...resizeOps,
};

/**
 * Every ONNX op (default domain) the importer runs, by op type: kernel, opsets and refused forms in one row, written
 * beside each kernel in its file and gathered here (the coverage page is generated from this table).
 */
export const OP_TABLE: ReadonlyMap<string, OpSpec> = new Map(
  Object.entries(rows).map(([op, entry]) => [op, typeof entry === 'function' ? { kernel: entry } : entry]),
);

export const SUPPORTED_OPS: readonly string[] = [...OP_TABLE.keys()].sort();

/** The table as the coverage page shows it: op type → the opsets it runs at and what its kernel implements. */
export const IMPORTER_OPS: ReadonlyMap<string, string> = new Map(
  [...OP_TABLE].map(([op, spec]) => {
    const [since, until] = spec.opsets ?? [];
    const opsets =
      since === undefined ? 'every opset' : until === undefined ? `opset ${since}+` : `opsets ${since}–${until}`;
    return [op, spec.note ? `${opsets}; ${spec.note}` : opsets];
  }),
);
