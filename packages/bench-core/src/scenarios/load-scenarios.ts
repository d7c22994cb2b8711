import type { ScenarioName } from '../scenarios.js';
import { concurrency } from './concurrency.js';
import type { LoadScenario } from './load-scenario.js';
import { offline } from './offline.js';
import { server } from './server.js';
import { singleStream } from './single-stream.js';

/** Every load scenario, in the order they run when asked for together (each after those it reads). */
export const LOAD_SCENARIOS: readonly LoadScenario[] = [singleStream, concurrency, offline, server];

/**
 * The scenarios to run for the names asked, single-stream always first, each after the scenarios it reads that are
 * also asked for: the table's order, checked (a scenario listed before one it reads is a mistake in the table).
 */
export function scenarioPlan(asked: readonly ScenarioName[]): LoadScenario[] {
  const wanted = new Set<ScenarioName>(['single-stream', ...asked]);
  const plan = LOAD_SCENARIOS.filter((s) => wanted.has(s.name));
  plan.forEach((s, i) => {
    for (const dependency of s.after) {
      const at = plan.findIndex((p) => p.name === dependency);
      if (at > i) throw new Error(`scenario ${s.name} reads ${dependency}, which LOAD_SCENARIOS lists after it`);
    }
  });
  return plan;
}
