import { describeBackendConformance } from '@polyinfer/core/testing/vitest';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';

describeBackendConformance({
  label: 'ort-node:cpu conformance',
  createBackend: () => createOrtNodeBackend(),
  device: 'cpu',
  acceptsPaths: true,
});
