import type { Feeds, Session } from '@polyinfer/core';
import { batchedFeeds, batchRowsMatch } from './offline-scenario.js';
import type { ScenarioSubject } from './scenarios.js';

/** A call of `session.run` that reads every output back, so the read-back is inside whatever times it. */
export function readBackRun(session: Session, feeds: Feeds): () => Promise<Feeds> {
  return async () => {
    const out = await session.run(feeds);
    for (const t of Object.values(out)) void t.data[0];
    return out;
  };
}

/**
 * One session and its feeds as the subject of the load scenarios: single runs, and batches of the same sample where
 * the model's first dimension is dynamic, each batched row checked against `single` (the one-sample outputs).
 */
export function sessionSubject(session: Session, feeds: Feeds, single: Feeds): ScenarioSubject {
  return {
    run: readBackRun(session, feeds),
    batch: async (size) => {
      const batched = batchedFeeds(session.inputs, feeds, size);
      if (typeof batched === 'string') return batched;
      const run = readBackRun(session, batched);
      return { run, parity: batchRowsMatch(single, await run(), 1e-4) };
    },
  };
}
