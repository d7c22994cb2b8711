// The benchmark's measuring core, shared by the harness in Node and the cells in browser pages (no Node built-ins).
export type { Summary } from './statistics.js';
export { percentile, summarise } from './statistics.js';
export type { Stability, StabilityOptions, WindowFigure } from './stability.js';
export { stabilityOf, windowFigure } from './stability.js';
export type { ConcurrencyOptions, ConcurrencyPoint, SteadyState, SteadyStateOptions } from './measure.js';
export { measureConcurrency, measureSteadyState } from './measure.js';
export type {
  LatencyPercentiles,
  ServerRateOptions,
  ServerRatePoint,
  ServerSweep,
  ServerSweepOptions,
} from './server-scenario.js';
export { measureServerRate, poissonArrivals, rateHolds, saturated, sweepServerRates } from './server-scenario.js';
export type { OfflineRun } from './offline-scenario.js';
export { batchedFeeds, batchRowsMatch, measureOffline } from './offline-scenario.js';
export type {
  OfflineFigures,
  ScenarioFigures,
  ScenarioName,
  ScenarioSettings,
  ScenarioSubject,
  SteadyFigures,
} from './scenarios.js';
export { inputSetSettings, runScenarios, SCENARIOS } from './scenarios.js';
export { readBackRun, sessionSubject } from './session-subject.js';
export { characterErrorRate, editDistance, exactLinesInOrder, normaliseWhitespace } from './text-metrics.js';
export type { BenchTask, TaskOpenOptions, TaskParity, TaskRunner } from './bench-tasks.js';
export { BENCH_TASKS, benchTask } from './bench-tasks.js';
export type { TaskCellFigures } from './task-cell.js';
export { runTaskCell } from './task-cell.js';
export type { LoadScenario, MeasuredRow, ScenarioMetric } from './scenarios/load-scenario.js';
export { LOAD_SCENARIOS, scenarioPlan } from './scenarios/load-scenarios.js';
