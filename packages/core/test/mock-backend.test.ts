import { createMockBackend, encodeMockModel } from '@polyinfer/core/testing';
import { describeBackendConformance } from '@polyinfer/core/testing/vitest';

// The suite every backend runs, run against the mock so the suite itself is tested without a native runtime.
describeBackendConformance({
  label: 'mock backend conformance',
  createBackend: () => createMockBackend(),
  device: 'cpu',
  encodeModel: encodeMockModel,
});
