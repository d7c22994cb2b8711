import type { Feeds } from '@polyinfer/core';
import { isPolyinferError } from '@polyinfer/core';
import type { CaseTarget } from './conformance-targets.js';
import type { CaseJob, CaseOutcome } from './case-outcome.js';
import { messageOf } from './case-outcome.js';
import { checkOutputs, readCaseData } from './case-data.js';

const codeOf = (error: unknown): string | undefined => (isPolyinferError(error) ? error.code : undefined);

/** One case on one target: read its data, open the model, run every data set, compare with onnx's rule. */
export async function runCase(target: CaseTarget, job: CaseJob): Promise<CaseOutcome> {
  const started = performance.now();
  const done = (outcome: Omit<CaseOutcome, 'ms'>): CaseOutcome => ({
    ...outcome,
    ms: Math.round(performance.now() - started),
  });
  const dataSets = readCaseData(job);
  if (!Array.isArray(dataSets)) return done(dataSets);
  let session;
  try {
    session = await target.open(job.modelPath);
  } catch (error) {
    return done({ status: 'refused', code: codeOf(error) ?? 'ERROR', detail: messageOf(error) });
  }
  try {
    for (const [index, set] of dataSets.entries()) {
      let results: Feeds;
      try {
        results = await session.run(set.inputs);
      } catch (error) {
        return done({ status: 'run-error', code: codeOf(error) ?? 'ERROR', detail: messageOf(error) });
      }
      const wrong = checkOutputs(index, set, results);
      if (wrong) return done(wrong);
    }
    return done({ status: 'pass' });
  } finally {
    await session.dispose().catch(() => undefined);
  }
}
