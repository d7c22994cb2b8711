import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec } from '@polyinfer/core';
import { buildOnnxModel, createRegistry } from '@polyinfer/core';
import { conformanceModels } from '@polyinfer/core/testing';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';
import type { RunningServer } from '@polyinfer/server';
import { loadServedModels, serve } from '@polyinfer/server';

/** The conformance models as files, served under their names ("add", "dynamic", "int64"). */
export function conformanceModelSpecs(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'served-'));
  return Object.entries(conformanceModels).map(([name, spec]) => {
    const path = join(dir, `${name}.onnx`);
    writeFileSync(path, buildOnnxModel(spec));
    return `${name}=${path}`;
  });
}

/** A conformance model spec → the name it is served under (the remote backend's "model source"). */
export function servedNameOf(spec: ModelSpec): string {
  const entry = Object.entries(conformanceModels).find(([, s]) => s === spec);
  if (!entry) throw new Error('not a conformance model');
  return entry[0];
}

export function ortNodeRegistry() {
  const registry = createRegistry();
  registerOrtNodeBackend(registry);
  return registry;
}

/** A server on free loopback ports with the given model specs (default: conformance models + the PP-OCR set). */
export async function startTestServer(options: { specs?: string[]; token?: string; maxBatch?: number; maxQueue?: number; batchDelayMs?: number } = {}): Promise<RunningServer> {
  const models = await loadServedModels({ registry: ortNodeRegistry(), specs: options.specs ?? [...conformanceModelSpecs(), 'ppocr-v4-det', 'ppocr-v4-rec', 'ppocr-mobile-v2-cls', 'ppocr'] });
  return serve({
    models,
    httpPort: 0,
    metricsPort: 0,
    grpcPort: 0,
    ...(options.token ? { token: options.token } : {}),
    ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
    ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
    ...(options.batchDelayMs !== undefined ? { batchDelayMs: options.batchDelayMs } : {}),
  });
}
