import { afterAll, beforeAll } from 'vitest';
import { describeBackendConformance } from '@polyinfer/core/testing/vitest';
import { createRemoteBackend } from '@polyinfer/backend-remote';
import type { RunningServer } from '@polyinfer/server';
import { conformanceModelSpecs, SERVED_DTYPES, servedNameOf, startTestServer } from './served-fixtures.js';

// The remote backend against a live `polyinfer serve`, over both protocols: the same contract as every backend.
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ specs: conformanceModelSpecs() });
}, 120_000);
afterAll(() => server?.close());

for (const device of ['http', 'grpc']) {
  describeBackendConformance({
    label: `remote:${device} conformance against polyinfer serve`,
    createBackend: () => createRemoteBackend({ url: server.http.url, grpcUrl: server.grpc?.url as string }),
    device,
    encodeModel: servedNameOf,
    dtypes: SERVED_DTYPES,
  });
}
