export { describeBackendConformance } from './conformance-suite.js';
export type { ConformanceOptions } from './conformance-suite.js';
