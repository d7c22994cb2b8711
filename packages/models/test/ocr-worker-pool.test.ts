import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPolyinferError } from '@polyinfer/core';
import { OcrWorkerPool } from '@polyinfer/models';

const samples = fileURLToPath(new URL('../samples/', import.meta.url));
const backendModules = [import.meta.resolve('@polyinfer/backend-ort-node')];
const truth = JSON.parse(readFileSync(join(samples, 'ground-truth.json'), 'utf8')) as Record<string, string[]>;

// The pool runs the built worker (dist/workers/task-worker.js): `pnpm test` builds before it tests.
describe('OcrWorkerPool', () => {
  it(
    'reads images in two worker threads, in input order, a bad image failing alone with its typed error',
    { timeout: 300_000 },
    async () => {
      const pool = await OcrWorkerPool.create(
        { backend: 'ort-node', devices: ['cpu'] },
        { workers: 2, backendModules },
      );
      try {
        expect(pool.workers).toBe(2);
        expect(pool.stages.rec).toMatchObject({ backend: 'ort-node', device: 'cpu' });
        const files = Object.keys(truth);
        const inputs = [
          ...files.map((f) => join(samples, f)),
          new Uint8Array([1, 2, 3]),
          ...files.map((f) => join(samples, f)),
        ];
        const items = await pool.runMany(inputs);
        expect(items.map((i) => i.index)).toEqual(inputs.map((_, i) => i));
        const texts = items.map((i) => ('result' in i ? i.result.lines.map((l) => l.text) : i.error));
        expect(texts.slice(0, files.length)).toEqual(files.map((f) => truth[f]));
        expect(texts.slice(files.length + 1)).toEqual(files.map((f) => truth[f]));
        const failed = items[files.length]!;
        expect('error' in failed && isPolyinferError(failed.error, 'IMAGE_DECODE_FAILED')).toBe(true);
      } finally {
        await pool.dispose();
      }
      await expect(pool.run(join(samples, 'receipt.png'))).rejects.toMatchObject({ code: 'USE_AFTER_DISPOSE' });
    },
  );

  it('refuses a registry (each worker builds its own) and a worker count that is not a whole number', async () => {
    await expect(OcrWorkerPool.create({ registry: {} } as never, { backendModules })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
    await expect(OcrWorkerPool.create({}, { workers: 0, backendModules })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });
});

describe('TaskWorkerPool', () => {
  it(
    'runs the detection task in worker threads: the same boxes as in-process, in input order',
    { timeout: 120_000 },
    async () => {
      const { buildYoloBoxFinder } = await import('@polyinfer/model-fixtures');
      const { createDetectionPipeline } = await import('@polyinfer/models/detection');
      const { createTaskWorkerPool } = await import('@polyinfer/models');
      const { registerOrtNodeBackend } = await import('@polyinfer/backend-ort-node');
      const { createRegistry } = await import('@polyinfer/core');
      const model = buildYoloBoxFinder({
        format: 'yolov8',
        classes: 3,
        found: { classId: 1, score: 0.8 },
        planted: [],
      });
      const images = [join(samples, 'receipt.png'), join(samples, 'dark.png'), join(samples, 'tilted.png')];
      const registry = createRegistry();
      registerOrtNodeBackend(registry);
      const local = await createDetectionPipeline({ model, registry, backend: 'ort-node', devices: ['cpu'] });
      const expected = await Promise.all(images.map(async (i) => (await local.run(i)).detections));
      await local.dispose();
      const pool = await createTaskWorkerPool<{ detections: unknown[] }, { backend: string; device: string }>(
        'detect',
        { model, backend: 'ort-node', devices: ['cpu'] },
        { workers: 2, backendModules },
      );
      try {
        expect(pool.info).toEqual({ backend: 'ort-node', device: 'cpu' });
        const items = await pool.runMany([...images, '/no/such.png']);
        expect(
          items.slice(0, 3).map((item) => ('result' in item ? item.result.detections : item.error.message)),
        ).toEqual(expected);
        expect(items[3]).toMatchObject({ error: { code: 'IMAGE_NOT_FOUND' } });
      } finally {
        await pool.dispose();
      }
      await expect(createTaskWorkerPool('segment', {}, { backendModules })).rejects.toThrow(
        'no worker task "segment" (tasks: ocr, detect, classify)',
      );
    },
  );
});
