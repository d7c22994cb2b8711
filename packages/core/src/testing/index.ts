export { describeBackendConformance } from './conformance-suite.js';
export type { ConformanceOptions } from './conformance-suite.js';
export { conformanceModels } from './conformance-models.js';
export type { ConformanceModelName } from './conformance-models.js';
export { createMockBackend, encodeMockModel } from './mock-backend.js';
export type { MockBackendOptions, MockDevice } from './mock-backend.js';
