import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';
import { loadServedModels, serve } from '@polyinfer/server';
import { describe, expect, it } from 'vitest';
import { sampleGroundTruth } from '@polyinfer/models';
import { composeAndRun } from '../src/compose-pipeline.js';

const config = (name: string): string => fileURLToPath(new URL(`../configs/${name}`, import.meta.url));

describe('compose-pipeline example', () => {
  it('the mixed config and the all-ort-web config read the same text', async () => {
    const mixed = await composeAndRun(config('mixed.json'));
    const web = await composeAndRun(config('all-ort-web.json'));
    expect(mixed.lines).toEqual(sampleGroundTruth()['receipt.png']);
    expect(web.lines).toEqual(mixed.lines);
    expect(mixed.report).toContain('det=ort-node:cpu');
    expect(mixed.report).toContain('rec=ort-web:wasm');
    expect(web.report).toContain('det=ort-web:wasm');
  });

  it('the remote-rec config moves recognition to a v2 server by config alone, with the same text', async () => {
    const registry = createRegistry();
    registerOrtNodeBackend(registry);
    const server = await serve({
      models: await loadServedModels({ registry, specs: ['ppocr-v4-rec'] }),
      httpPort: 0,
      metricsPort: 0,
      grpcPort: false,
    });
    try {
      // The shipped config points at 127.0.0.1:8000; this test's server has a port of its own.
      const shipped = readFileSync(config('remote-rec.json'), 'utf8');
      const path = join(mkdtempSync(join(tmpdir(), 'compose-')), 'remote-rec.json');
      writeFileSync(path, shipped.replace('http://127.0.0.1:8000', server.http.url));
      const remote = await composeAndRun(path);
      expect(remote.lines).toEqual(sampleGroundTruth()['receipt.png']);
      expect(remote.report).toContain('rec=remote:http');
      expect(remote.report).toContain('det=ort-node:cpu');
    } finally {
      await server.close();
    }
  });
});
