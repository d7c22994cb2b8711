import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feeds, Tensor } from '@polyinfer/core';
import type { CaseJob, CaseOutcome } from './case-outcome.js';
import { messageOf } from './case-outcome.js';
import { compareTensors } from './compare-outputs.js';
import { decodeTensorProto } from './tensor-proto.js';

/** A data set's input_N.pb or output_N.pb files, by N. */
function tensorFiles(dir: string, kind: 'input' | 'output'): string[] {
  const pattern = new RegExp(`^${kind}_(\\d+)\\.pb$`);
  return readdirSync(dir)
    .flatMap((f) => {
      const m = pattern.exec(f);
      return m ? [{ f, n: Number(m[1]) }] : [];
    })
    .sort((a, b) => a.n - b.n)
    .map(({ f }) => join(dir, f));
}

export interface DataSet {
  inputs: Feeds;
  outputs: { name: string; tensor: Tensor }[];
}

/** A data set's tensors, named after the model's inputs and outputs in order; or which one polyinfer cannot hold. */
function readDataSet(job: CaseJob, dir: string): DataSet | { unheld: string } {
  const read = (files: string[], names: string[]): { name: string; tensor: Tensor }[] | string => {
    const out: { name: string; tensor: Tensor }[] = [];
    for (const [i, file] of files.entries()) {
      const decoded = decodeTensorProto(readFileSync(file));
      const name = names[i] ?? decoded.name;
      if (!decoded.held) return `${name} is ${decoded.elementType}`;
      out.push({ name, tensor: decoded.tensor });
    }
    return out;
  };
  const inputs = read(tensorFiles(dir, 'input'), job.inputNames);
  if (typeof inputs === 'string') return { unheld: inputs };
  const outputs = read(tensorFiles(dir, 'output'), job.outputNames);
  if (typeof outputs === 'string') return { unheld: outputs };
  return { inputs: Object.fromEntries(inputs.map((i) => [i.name, i.tensor])), outputs };
}

/** Every data set of a case, or the outcome that settles it before any runtime sees it (a tensor polyinfer cannot hold). */
export function readCaseData(job: CaseJob): DataSet[] | Omit<CaseOutcome, 'ms'> {
  let dataSets;
  try {
    dataSets = job.dataSets.map((dir) => readDataSet(job, dir));
  } catch (error) {
    return { status: 'unheld', detail: `its test data does not decode as tensors: ${messageOf(error)}` };
  }
  const unheld = dataSets.find((d): d is { unheld: string } => 'unheld' in d);
  return unheld ? { status: 'unheld', detail: unheld.unheld } : (dataSets as DataSet[]);
}

/** A data set's outputs against what a target gave: undefined when all match under onnx's rule, else the `wrong` outcome. */
export function checkOutputs(index: number, set: DataSet, results: Feeds): Omit<CaseOutcome, 'ms'> | undefined {
  for (const expected of set.outputs) {
    const actual = results[expected.name];
    if (!actual) return { status: 'wrong', detail: `data set ${index}: no output "${expected.name}"` };
    const comparison = compareTensors(expected.tensor, actual);
    if (!comparison.equal) {
      return {
        status: 'wrong',
        detail: `data set ${index}, output "${expected.name}": ${comparison.reason}`,
        ...(comparison.maxDiff !== undefined ? { maxDiff: comparison.maxDiff } : {}),
      };
    }
  }
  return undefined;
}
