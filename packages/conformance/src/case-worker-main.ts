// A conformance worker: one target, cases one at a time from its parent, an outcome back for each. The parent
// replaces this process after any case that does not pass, so nothing a bad model did here reaches the next case.
import type { CaseJob } from './case-outcome.js';
import { loadCaseTarget } from './conformance-targets.js';
import { runCase } from './run-case.js';

const send = (message: unknown): void => {
  process.send?.(message);
};

process.on('disconnect', () => process.exit(0));

try {
  const target = await loadCaseTarget(process.argv[2] ?? '');
  process.on('message', (job: CaseJob) => {
    void runCase(target, job).then(
      (outcome) => send({ id: job.id, outcome }),
      (error: unknown) => send({ id: job.id, outcome: { status: 'crash', detail: String(error), ms: 0 } }),
    );
  });
  send({ ready: true });
} catch (error) {
  send({ fatal: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
