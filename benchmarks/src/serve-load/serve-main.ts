// Child process of the load test: `polyinfer serve`'s library half (loadServedModels + serve) on free loopback
// ports; prints the URL, serves until SIGTERM, then shuts down gracefully.
import { createRegistry } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';
import { loadServedModels, serve } from '@polyinfer/server';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  models: string[];
  maxBatch: number;
  batchDelayMs: number;
  maxQueue: number;
};
const registry = createRegistry();
registerOrtNodeBackend(registry);
const running = await serve({
  models: await loadServedModels({ registry, specs: options.models }),
  httpPort: 0,
  metricsPort: 0,
  grpcPort: false,
  maxBatch: options.maxBatch,
  batchDelayMs: options.batchDelayMs,
  maxQueue: options.maxQueue,
});
process.stdout.write(`REST ${running.http.url}\n`);
process.once('SIGTERM', () => void running.close().then(() => process.exit(0)));
