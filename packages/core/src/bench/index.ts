// Measurement helpers shared by the benchmark harness in Node and in browser pages (no Node built-ins).
export type { Summary } from './statistics.js';
export { percentile, summarise } from './statistics.js';
export type { ConcurrencyPoint, SteadyState, SteadyStateOptions } from './measure.js';
export { measureConcurrency, measureSteadyState } from './measure.js';
export { characterErrorRate, editDistance, normaliseWhitespace } from './text-metrics.js';
