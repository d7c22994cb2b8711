import { describeBackendConformance } from '@polyinfer/core/testing/vitest';
import { createTfjsBackend } from '@polyinfer/backend-tfjs';

for (const device of ['wasm', 'cpu']) {
  describeBackendConformance({
    label: `tfjs:${device} (Node) conformance`,
    createBackend: () => createTfjsBackend(),
    device,
    acceptsPaths: true,
  });
}
