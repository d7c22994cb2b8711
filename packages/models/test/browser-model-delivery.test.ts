import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchModelCached } from '../src/web/cached-model-fetch.js';
import { prepareBrowserOcrModels } from '../src/web/prepare-browser-models.js';
import { OcrWorkerClient } from '../src/web/ocr-worker-client.js';
import type { FromWebWorker, ToWebWorker } from '../src/web/ocr-web-worker-protocol.js';
import type { WorkerLike } from '../src/web/ocr-worker-client.js';
import { IntegrityError } from '../src/resolvers/resolver-errors.js';
import type { StageInfo } from '../src/ocr/ocr-result.js';

// Browsers run this code; Node 20 has fetch and crypto.subtle, and a small in-memory Cache Storage stands in for the
// browser's (only the calls fetchModelCached makes).

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const FILE = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
let served = 0;
let body: Uint8Array = FILE;
let server: Server;
let url: string;

class MemoryCache {
  readonly entries = new Map<string, Uint8Array>();
  async match(key: string): Promise<Response | undefined> {
    const bytes = this.entries.get(key);
    return bytes ? new Response(bytes.slice() as Uint8Array<ArrayBuffer>) : undefined;
  }
  async put(key: string, response: Response): Promise<void> {
    this.entries.set(key, new Uint8Array(await response.arrayBuffer()));
  }
  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }
}
const buckets = new Map<string, MemoryCache>();
const bucket = (name: string): MemoryCache =>
  buckets.get(name) ?? (buckets.set(name, new MemoryCache()).get(name) as MemoryCache);

beforeAll(async () => {
  server = createServer((_req, res) => {
    served += 1;
    res.writeHead(200, { 'content-length': body.byteLength }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.onnx`;
  (globalThis as { caches?: unknown }).caches = { open: async (name: string) => bucket(name) };
});
afterAll(async () => {
  delete (globalThis as { caches?: unknown }).caches;
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  buckets.clear();
  served = 0;
  body = FILE;
});

describe('fetchModelCached', () => {
  it('downloads once with progress, then reads the cache (verified) without asking the server', async () => {
    const progress: { loadedBytes: number; fromCache: boolean }[] = [];
    const first = await fetchModelCached(url, { sha256: sha(FILE), onProgress: (p) => progress.push(p) });
    expect(sha(first)).toBe(sha(FILE));
    expect(served).toBe(1);
    expect(progress.at(-1)).toMatchObject({
      loadedBytes: FILE.byteLength,
      totalBytes: FILE.byteLength,
      fromCache: false,
    });
    const second = await fetchModelCached(url, { sha256: sha(FILE), onProgress: (p) => progress.push(p) });
    expect(sha(second)).toBe(sha(FILE));
    expect(served).toBe(1);
    expect(progress.at(-1)).toMatchObject({ fromCache: true });
  });

  it('refuses a download whose sha256 differs (IntegrityError) and keeps nothing', async () => {
    body = FILE.slice(1);
    const error = await fetchModelCached(url, { sha256: sha(FILE) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).code).toBe('INTEGRITY_MISMATCH');
    expect(bucket('polyinfer-models').entries.size).toBe(0);
  });

  it('drops a damaged cached copy and downloads the file again', async () => {
    await fetchModelCached(url, { sha256: sha(FILE) });
    const store = bucket('polyinfer-models');
    const [key] = [...store.entries.keys()];
    store.entries.set(key as string, FILE.slice(0, 1000));
    const bytes = await fetchModelCached(url, { sha256: sha(FILE) });
    expect(sha(bytes)).toBe(sha(FILE));
    expect(served).toBe(2);
  });

  it('fetches every time with cache: false', async () => {
    await fetchModelCached(url, { cache: false });
    await fetchModelCached(url, { cache: false });
    expect(served).toBe(2);
  });
});

describe('prepareBrowserOcrModels', () => {
  it(
    'lists the simplified files with the sha256 and size of each, and the files to serve',
    { timeout: 120_000 },
    async () => {
      const { manifest, files } = await prepareBrowserOcrModels();
      expect(manifest.variant).toBe('simplified');
      for (const entry of [manifest.det, manifest.rec, manifest.cls, manifest.dictionary]) {
        const path = files[entry?.url ?? ''] as string;
        const bytes = readFileSync(path);
        expect(entry?.sha256).toBe(sha(bytes));
        expect(entry?.bytes).toBe(bytes.byteLength);
      }
      expect(manifest.det.url).toMatch(/\.simplified\..*\.onnx$/);
      expect(manifest.dictionary.url).toBe('ppocr_keys_v1.txt');
    },
  );
});

/** A worker stand-in: answers what `reply` says for each message, asynchronously, as a real worker would. */
function fakeWorker(
  reply: (message: ToWebWorker, send: (m: FromWebWorker) => void) => void,
): WorkerLike & { terminated: boolean } {
  const listeners: ((event: MessageEvent<FromWebWorker>) => void)[] = [];
  const worker = {
    terminated: false,
    postMessage(message: unknown) {
      setTimeout(() =>
        reply(message as ToWebWorker, (m) => listeners.forEach((l) => l({ data: m } as MessageEvent<FromWebWorker>))),
      );
    },
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === 'message') listeners.push(listener as (event: MessageEvent<FromWebWorker>) => void);
    },
    terminate() {
      worker.terminated = true;
    },
  };
  return worker;
}

describe('OcrWorkerClient', () => {
  it('relays model progress, keeps typed errors typed, and fails waiting calls when terminated', async () => {
    const stage = (model: string): StageInfo => ({ model, backend: 'ort-web', device: 'wasm', skipped: [] });
    const stages = { det: stage('ppocr-v4-det'), rec: stage('ppocr-v4-rec') };
    const worker = fakeWorker((message, send) => {
      if (message.type === 'open') {
        send({
          type: 'progress',
          id: message.id,
          progress: { loadedBytes: 5, totalBytes: 10, cachedFiles: 0, files: 4 },
        });
        send({ type: 'opened', id: message.id, pipeline: 7, info: stages });
      } else if (message.type === 'run') {
        send({
          type: 'error',
          id: message.id,
          error: {
            name: 'ImageDecodeError',
            message: 'Cannot decode <3 bytes>',
            code: 'IMAGE_DECODE_FAILED',
            details: { source: '<3 bytes>' },
          },
        });
      }
      // 'probe' is never answered: it is still waiting when the worker is terminated.
    });
    const client = new OcrWorkerClient(worker);
    const progress: number[] = [];
    const pipeline = await client.open({
      backend: 'ort-web',
      onModelProgress: (p) => progress.push(p.loadedBytes / p.totalBytes),
    });
    expect(progress).toEqual([0.5]);
    expect(pipeline.stages.det.device).toBe('wasm');
    const error = (await pipeline.run(new Uint8Array([1, 2, 3])).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.name).toBe('ImageDecodeError');
    expect(error.code).toBe('IMAGE_DECODE_FAILED');
    const waiting = client.probe('ort-web', 'wasm');
    client.terminate();
    await expect(waiting).rejects.toMatchObject({ code: 'USE_AFTER_DISPOSE' });
    expect(worker.terminated).toBe(true);
    await expect(pipeline.run('/a.png')).rejects.toMatchObject({ code: 'USE_AFTER_DISPOSE' });
  });
});

describe('tasks in the worker', () => {
  it('opens a detection pipeline through the same client and worker as OCR; pixels cross as they are; an unknown task is named', async () => {
    const { serveOcrInWorker } = await import('../src/web/serve-ocr-in-worker.js');
    const { createRegistry } = await import('@polyinfer/core');
    const { registerOrtNodeBackend } = await import('@polyinfer/backend-ort-node');
    const { buildYoloBoxFinder } = await import('@polyinfer/model-fixtures');
    const sharp = (await import('sharp')).default;
    // The worker's scope and the client's worker, joined in this process as a MessageChannel would join them (each
    // message structured-cloned, as postMessage does).
    const toClient: ((event: MessageEvent<FromWebWorker>) => void)[] = [];
    const toWorker: ((event: MessageEvent<ToWebWorker>) => void)[] = [];
    const scope = {
      postMessage: (m: FromWebWorker) =>
        setTimeout(() => toClient.forEach((l) => l({ data: structuredClone(m) } as MessageEvent<FromWebWorker>))),
      addEventListener: (_type: 'message', l: (event: MessageEvent<ToWebWorker>) => void) => void toWorker.push(l),
    };
    const worker: WorkerLike = {
      postMessage: (m: unknown) =>
        setTimeout(() => toWorker.forEach((l) => l({ data: structuredClone(m) } as MessageEvent<ToWebWorker>))),
      addEventListener: (type: string, l: (event: never) => void) => {
        if (type === 'message') toClient.push(l as (event: MessageEvent<FromWebWorker>) => void);
      },
      terminate: () => undefined,
    };
    const registry = createRegistry();
    registerOrtNodeBackend(registry);
    serveOcrInWorker({ registry, scope });
    const client = new OcrWorkerClient(worker);
    const model = buildYoloBoxFinder({ format: 'yolov8', classes: 2, found: { classId: 1, score: 0.7 }, planted: [] });
    const detector = await client.openTask<{ detections: { box: number[]; classId: number }[] }>('detect', {
      model,
      backend: 'ort-node',
      devices: ['cpu'],
    });
    expect(detector.info).toEqual({ backend: 'ort-node', device: 'cpu' });
    const pixels = Buffer.alloc(200 * 100 * 3, 20);
    for (let y = 20; y < 60; y++) for (let x = 40; x < 120; x++) pixels.set([255, 0, 0], (y * 200 + x) * 3);
    const png = new Uint8Array(
      await sharp(pixels, { raw: { width: 200, height: 100, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const { detections } = await detector.run(png);
    expect(detections.map((d) => ({ classId: d.classId, box: d.box.map(Math.round) }))).toEqual([
      { classId: 1, box: [40, 20, 120, 60] },
    ]);
    // Decoded pixels (a page rendered by pdf.js) cross without being encoded: the same detection.
    const rgb = { data: new Uint8Array(pixels), width: 200, height: 100 };
    const fromPixels = await detector.run(rgb);
    expect(fromPixels.detections.map((d) => ({ classId: d.classId, box: d.box.map(Math.round) }))).toEqual([
      { classId: 1, box: [40, 20, 120, 60] },
    ]);
    // Pixels that do not fill their size are refused by name in the worker, and the next run still reads.
    await expect(detector.run({ data: new Uint8Array(10), width: 200, height: 100 })).rejects.toMatchObject({
      code: 'IMAGE_SIZE',
    });
    expect((await detector.run(rgb)).detections).toHaveLength(1);
    await detector.dispose();
    await expect(client.openTask('segment', {})).rejects.toThrow(
      'no task "segment" in this worker (tasks: ocr, detect, classify)',
    );
  });
});
