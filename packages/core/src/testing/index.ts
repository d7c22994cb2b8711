// Framework-free: usable in a browser page. The vitest wrapper is `@polyinfer/core/testing/vitest`.
export type {
  ConformanceCheck,
  ConformanceContext,
  ConformanceResult,
  ConformanceTarget,
} from './conformance-checks.js';
export { conformanceChecks, createConformanceContext, runConformanceChecks } from './conformance-checks.js';
export { ConformanceFailure } from './assertions.js';
export { conformanceModels, DTYPE_SAMPLES, dtypeIdentityModel } from './conformance-models.js';
export { pairExpected, pairModel } from './pair-model.js';
export type { ConformanceModelName } from './conformance-models.js';
export { createMockBackend, encodeMockModel } from './mock-backend.js';
export type { MockBackendOptions, MockDevice } from './mock-backend.js';
export { imageLikeTensor, maxAbsDifference, seededRandom, seededUniformTensor } from './image-like-input.js';
