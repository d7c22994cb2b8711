import { describeBackendConformance } from '@polyinfer/core/testing/vitest';
import { createOrtWebBackend } from '@polyinfer/backend-ort-web';

describeBackendConformance({
  label: 'ort-web:wasm (Node) conformance',
  createBackend: () => createOrtWebBackend(),
  device: 'wasm',
  acceptsPaths: true,
});
