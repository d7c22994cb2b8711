import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feeds, Tensor } from '@polyinfer/core';
import { isPolyinferError } from '@polyinfer/core';
import type { CaseTarget } from './conformance-targets.js';
import type { CaseJob, CaseOutcome } from './case-outcome.js';
import { compareTensors } from './compare-outputs.js';
import { decodeTensorProto } from './tensor-proto.js';

const codeOf = (error: unknown): string | undefined => (isPolyinferError(error) ? error.code : undefined);
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 400) ?? '';

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

type DataSet = { inputs: Feeds; outputs: { name: string; tensor: Tensor }[] } | { unheld: string };

/** A data set's tensors, named after the model's inputs and outputs in order. */
function readDataSet(job: CaseJob, dir: string): DataSet {
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

/** One case on one target: read its data, open the model, run every data set, compare with onnx's rule. */
export async function runCase(target: CaseTarget, job: CaseJob): Promise<CaseOutcome> {
  const started = performance.now();
  const done = (outcome: Omit<CaseOutcome, 'ms'>): CaseOutcome => ({ ...outcome, ms: Math.round(performance.now() - started) });
  let dataSets: DataSet[];
  try {
    dataSets = job.dataSets.map((dir) => readDataSet(job, dir));
  } catch (error) {
    return done({ status: 'unheld', detail: `its test data does not decode as tensors: ${messageOf(error)}` });
  }
  const unheld = dataSets.find((d): d is { unheld: string } => 'unheld' in d);
  if (unheld) return done({ status: 'unheld', detail: unheld.unheld });
  let session;
  try {
    session = await target.open(job.modelPath);
  } catch (error) {
    return done({ status: 'refused', code: codeOf(error) ?? 'ERROR', detail: messageOf(error) });
  }
  try {
    for (const [index, set] of (dataSets as Exclude<DataSet, { unheld: string }>[]).entries()) {
      let results: Feeds;
      try {
        results = await session.run(set.inputs);
      } catch (error) {
        return done({ status: 'run-error', code: codeOf(error) ?? 'ERROR', detail: messageOf(error) });
      }
      for (const expected of set.outputs) {
        const actual = results[expected.name];
        if (!actual) return done({ status: 'wrong', detail: `data set ${index}: no output "${expected.name}"` });
        const comparison = compareTensors(expected.tensor, actual);
        if (!comparison.equal) {
          return done({ status: 'wrong', detail: `data set ${index}, output "${expected.name}": ${comparison.reason}`, ...(comparison.maxDiff !== undefined ? { maxDiff: comparison.maxDiff } : {}) });
        }
      }
    }
    return done({ status: 'pass' });
  } finally {
    await session.dispose().catch(() => undefined);
  }
}
