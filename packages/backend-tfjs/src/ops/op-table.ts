import type { OpKernel } from './op-context.js';
import { convOps } from './conv.js';
import { elementwiseOps } from './elementwise.js';
import { linearOps } from './linear.js';
import { normalizationOps } from './normalization.js';
import { poolOps } from './pool.js';
import { reduceOps } from './reduce.js';
import { resizeOps } from './resize.js';
import { shapeOps } from './shape.js';

/** Every ONNX op (default domain) the importer runs, by op type: one table, like tfjs' register_all_kernels. */
export const OP_TABLE: ReadonlyMap<string, OpKernel> = new Map(
  Object.entries({ ...elementwiseOps, ...convOps, ...poolOps, ...normalizationOps, ...linearOps, ...shapeOps, ...reduceOps, ...resizeOps }),
);

export const SUPPORTED_OPS: readonly string[] = [...OP_TABLE.keys()].sort();
