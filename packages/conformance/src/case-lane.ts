import type { CaseJob, CaseOutcome } from './case-outcome.js';

/** Runs one target's cases one after another in a process (or page) of its own, replaced after any that does not pass. */
export interface CaseLane {
  run(job: CaseJob): Promise<CaseOutcome>;
  close(): Promise<void>;
}
