import { readFileSync, writeFileSync } from 'node:fs';
import { createRegistry, isPolyinferError, reasonOf } from '@polyinfer/core';
import { registerCatalogue, remoteEntry, wasmConfigs } from '@polyinfer/backends';
import type { CellResult, CellSpec } from './cell.js';
import { cellIdentity } from './cell.js';
import { runTaskCell } from './run-task-cell.js';
import { runTensorCell } from './run-tensor-cell.js';
import { startRssSampler } from './rss-sampler.js';
import { remoteConfig } from './targets.js';

// One benchmark cell in a process of its own: `node node-cell-main.js spec.json result.json`. Memory figures then
// belong to this cell alone, and a crash ends only this cell.
const [specFile, resultFile] = process.argv.slice(2) as [string, string];
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as CellSpec;
const started = performance.now();

// Off the main thread: a 5 ms timer here would not fire while a synchronous tfjs run holds the event loop.
const sampler = startRssSampler(5);

// Every backend of the catalogue; the one under test gets the cell's config (wasm threads, a remote server).
const registry = registerCatalogue(createRegistry(), 'node', {
  ...wasmConfigs({ threads: spec.settings.wasmThreads }),
  [remoteEntry().name]: remoteConfig(spec),
});

let result: Omit<CellResult, 'wallMs'>;
try {
  result = spec.model.kind === 'task' ? await runTaskCell(spec, registry) : await runTensorCell(spec, registry);
  const usage = process.memoryUsage();
  result.memory = {
    peakRssBytes: await sampler.stop(),
    heapUsedBytes: usage.heapUsed,
    externalBytes: usage.external,
    arrayBuffersBytes: usage.arrayBuffers,
  };
} catch (error) {
  const unavailable = isPolyinferError(error, 'DEVICE_UNAVAILABLE') || isPolyinferError(error, 'BACKEND_UNAVAILABLE');
  const reason = reasonOf(error);
  result = {
    ...cellIdentity(spec),
    status: unavailable ? 'unavailable' : 'error',
    reason,
  };
}
await sampler.stop();
writeFileSync(resultFile, JSON.stringify({ ...result, wallMs: performance.now() - started }));
process.exit(0);
