/**
 * What a case came to on a target. `unheld`: a tensor of the case has a type polyinfer's Tensor cannot hold (float8,
 * a sequence…), so it never reached the runtime; `refused`: the target refused the model at load (code says why);
 * `wrong`: it ran and an output differs under onnx's rule; `run-error`: a run failed; `timeout`/`crash`: the case's
 * process was killed at the time limit or died.
 */
export type CaseStatus = 'pass' | 'wrong' | 'refused' | 'unheld' | 'run-error' | 'timeout' | 'crash';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'pass',
  'wrong',
  'refused',
  'unheld',
  'run-error',
  'timeout',
  'crash',
];

export interface CaseOutcome {
  status: CaseStatus;
  /** The polyinfer error code (refused, run-error), when there is one. */
  code?: string;
  detail?: string;
  /** Largest difference among out-of-tolerance float elements (wrong). */
  maxDiff?: number;
  ms: number;
}

/** A case as the parent hands it to a worker: where it is, and its inputs and outputs by position. */
export interface CaseJob {
  id: string;
  modelPath: string;
  dataSets: string[];
  inputNames: string[];
  outputNames: string[];
}

/** An error as an outcome's detail: its first line, at most 400 characters. */
export const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 400) ?? '';
