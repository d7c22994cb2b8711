import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataType, ModelSpec } from '@polyinfer/core';
import { buildOnnxModel, createRegistry } from '@polyinfer/core';
import { conformanceModels, dtypeIdentityModel } from '@polyinfer/core/testing';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';
import type { RunningServer } from '@polyinfer/server';
import { loadServedModels, serve } from '@polyinfer/server';

/** The dtypes a `polyinfer serve` over onnxruntime-node carries end to end: every v2 datatype but BF16 (onnxruntime's JavaScript API has none). */
export const SERVED_DTYPES: readonly DataType[] = [
  'bool',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'float16',
  'float32',
  'float64',
  'string',
];

/** The conformance models served by name: "add", "dynamic", "int64", and "identity-<dtype>" for each served dtype. */
function servedConformanceModels(): [string, ModelSpec][] {
  return [
    ...Object.entries(conformanceModels),
    ...SERVED_DTYPES.map((d): [string, ModelSpec] => [`identity-${d}`, dtypeIdentityModel(d)]),
  ];
}

/** The conformance models as files, as `name=path` specs. */
export function conformanceModelSpecs(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'served-'));
  return servedConformanceModels().map(([name, spec]) => {
    const path = join(dir, `${name}.onnx`);
    writeFileSync(path, buildOnnxModel(spec));
    return `${name}=${path}`;
  });
}

/** A conformance model spec → the name it is served under (the remote backend's "model source"). */
export function servedNameOf(spec: ModelSpec): string {
  const entry = servedConformanceModels().find(([, s]) => s === spec);
  if (!entry) throw new Error('not a conformance model');
  return entry[0];
}

export function ortNodeRegistry() {
  const registry = createRegistry();
  registerOrtNodeBackend(registry);
  return registry;
}

/** A server on free loopback ports with the given model specs (default: conformance models + the PP-OCR set). */
export async function startTestServer(
  options: { specs?: string[]; token?: string; maxBatch?: number; maxQueue?: number; batchDelayMs?: number } = {},
): Promise<RunningServer> {
  const models = await loadServedModels({
    registry: ortNodeRegistry(),
    specs: options.specs ?? [
      ...conformanceModelSpecs(),
      'ppocr-v4-det',
      'ppocr-v4-rec',
      'ppocr-mobile-v2-cls',
      'ppocr',
    ],
  });
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
