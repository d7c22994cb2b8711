import { readFileSync, writeFileSync } from 'node:fs';
import { createRegistry, isPolyinferError } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';
import { registerOrtWebBackend } from '@polyinfer/backend-ort-web/base';
import { registerTfjsBackend } from '@polyinfer/backend-tfjs/base';
import type { CellResult, CellSpec } from './cell.js';
import { runOcrCell } from './run-ocr-cell.js';
import { runTensorCell } from './run-tensor-cell.js';

// One benchmark cell in a process of its own: `node node-cell-main.js spec.json result.json`. Memory figures then
// belong to this cell alone, and a crash ends only this cell.
const [specFile, resultFile] = process.argv.slice(2) as [string, string];
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as CellSpec;
const started = performance.now();

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 5);

const registry = createRegistry();
registerOrtNodeBackend(registry);
registerOrtWebBackend(registry, { numThreads: spec.settings.wasmThreads });
registerTfjsBackend(registry);

let result: Omit<CellResult, 'wallMs'>;
try {
  result = spec.model.kind === 'ocr' ? await runOcrCell(spec, registry) : await runTensorCell(spec, registry);
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  result.memory = { peakRssBytes: peakRss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external, arrayBuffersBytes: usage.arrayBuffers };
} catch (error) {
  const unavailable = isPolyinferError(error, 'DEVICE_UNAVAILABLE') || isPolyinferError(error, 'BACKEND_UNAVAILABLE');
  const reason = isPolyinferError(error) && typeof error.details.reason === 'string' ? error.details.reason : (error as Error).message;
  result = { id: spec.id, model: spec.model.id, backend: spec.backend, device: spec.device, environment: spec.environment, status: unavailable ? 'unavailable' : 'error', reason };
}
clearInterval(sampler);
writeFileSync(resultFile, JSON.stringify({ ...result, wallMs: performance.now() - started }));
process.exit(0);
