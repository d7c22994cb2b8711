import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isPolyinferError, Tensor } from '@polyinfer/core';
import { HttpV2Client } from '@polyinfer/backend-remote';
import { GrpcV2Client } from '@polyinfer/backend-remote/grpc';
import type { RunningServer, ServedModel, ServeOptions } from '@polyinfer/server';
import { serve } from '@polyinfer/server';
import {
  eventually,
  pairRequest,
  pairTensorModel,
  rawRequest,
  scriptedPairModel,
  stalledRequest,
} from './hostile-fixtures.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-prometheus-client (installed by .ci/run)
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

interface Sample {
  family: string;
  type: string;
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The exposition parsed by the Prometheus project's own parser (its Python client). */
async function parseExposition(text: string): Promise<Sample[]> {
  const child = execFile(PYTHON, [here('./python/parse_metrics.py')], { maxBuffer: 16 * 2 ** 20 });
  const out = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`parse_metrics.py exited ${code}`))));
  });
  child.stdin?.end(text);
  return JSON.parse(await out) as Sample[];
}
const quiet = { httpPort: 0, metricsPort: 0 as const, grpcPort: false as const, log: () => undefined };
const body = pairRequest({ shape: [1, 2], data: [1, 2] }, { shape: [1, 2], data: [3, 4] });
const pairInputs = {
  a: new Tensor('float32', Float32Array.from([1, 2]), [1, 2]),
  b: new Tensor('float32', Float32Array.from([3, 4]), [1, 2]),
};

async function withServer(
  models: ServedModel[],
  options: Partial<ServeOptions>,
  test: (server: RunningServer) => Promise<void>,
): Promise<void> {
  const server = await serve({ ...quiet, ...options, models });
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

describe('Host and Origin', () => {
  it('bound to loopback, a foreign Host is 403 (DNS rebinding), a loopback one or a listed one is served', async () => {
    await withServer([await pairTensorModel()], { allowedHosts: ['models.internal'] }, async (server) => {
      const infer = (host: string) =>
        rawRequest(server.http.url, {
          method: 'POST',
          path: '/v2/models/pair/infer',
          headers: { host, 'content-type': 'application/json' },
          body,
        });
      const foreign = await infer('attacker.example');
      expect([foreign.status, JSON.parse(foreign.body).error]).toEqual([
        403,
        expect.stringMatching(/Host "attacker.example" is not a name this server answers to/),
      ]);
      expect((await infer('attacker.example:8000')).status).toBe(403);
      for (const host of ['127.0.0.1', 'localhost:8000', '[::1]:8000', 'models.internal:443'])
        expect((await infer(host)).status, host).toBe(200);
    });
  });

  it('a request carrying an Origin not listed is 403 (drive-by posts from web pages), whatever its content type', async () => {
    await withServer([await pairTensorModel()], {}, async (server) => {
      for (const type of ['text/plain', 'application/json']) {
        const posted = await fetch(`${server.http.url}/v2/models/pair/infer`, {
          method: 'POST',
          headers: { origin: 'http://attacker.example', 'content-type': type },
          body,
        });
        expect([posted.status, (await posted.json()).error]).toEqual([
          403,
          'Origin http://attacker.example may not call this server (--cors-origins lists those that may)',
        ]);
      }
      // No Origin, a non-browser client: served. A "simple" body type is not infer's.
      expect(
        (
          await fetch(`${server.http.url}/v2/models/pair/infer`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          })
        ).status,
      ).toBe(200);
      const form = await fetch(`${server.http.url}/v2/models/pair/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect([form.status, (await form.json()).error]).toEqual([
        415,
        'infer takes application/json or application/octet-stream bodies, not application/x-www-form-urlencoded',
      ]);
    });
  });

  it('with --cors-origins: preflight answered, the listed origin served with CORS headers, others refused', async () => {
    await withServer([await pairTensorModel()], { corsOrigins: ['http://app.example'] }, async (server) => {
      const preflight = await fetch(`${server.http.url}/v2/models/pair/infer`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, inference-header-content-length',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example');
      expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(
        /inference-header-content-length/,
      );
      const posted = await fetch(`${server.http.url}/v2/models/pair/infer`, {
        method: 'POST',
        headers: { origin: 'http://app.example', 'content-type': 'application/json' },
        body,
      });
      expect(posted.status).toBe(200);
      expect(posted.headers.get('access-control-allow-origin')).toBe('http://app.example');
      expect(posted.headers.get('access-control-expose-headers')).toMatch(/inference-header-content-length/i);
      expect(
        (
          await fetch(`${server.http.url}/v2/models/pair/infer`, {
            method: 'POST',
            headers: { origin: 'http://other.example', 'content-type': 'application/json' },
            body,
          })
        ).status,
      ).toBe(403);
    });
  });
});

describe('deadlines', () => {
  it('shutdown with a stalled upload and a hung run: finishes by the deadline, cuts what is left, refuses what waited', async () => {
    const model = scriptedPairModel({ latencyMs: 60_000 });
    const server = await serve({ ...quiet, models: [model], maxBatch: 1, shutdownTimeoutMs: 500 });
    const stalled = stalledRequest(
      server.http.url,
      `POST /v2/models/scripted/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
      '{"inputs":',
    );
    const hung = fetch(`${server.http.url}/v2/models/scripted/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).catch((e: unknown) => e);
    await eventually(() => model.runs.length === 1);
    const waiting = fetch(`${server.http.url}/v2/models/scripted/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then(
      (r) => r.status,
      (e: unknown) => e,
    );
    await eventually(() => server.server.scheduler('scripted').queueDepth === 1);
    const started = performance.now();
    const { drained } = await server.close();
    const tookMs = performance.now() - started;
    expect(drained).toBe(false);
    // The deadline is 0.5 s; the bound only says it did not wait for the 60 s run or the stalled client.
    expect(tookMs).toBeLessThan(20_000);
    await stalled.closed;
    expect(await waiting).toBe(503);
    // The run that never ended is answered too: the shutdown says so instead of cutting the connection silently.
    expect(await hung.then((r) => (r instanceof Response ? r.status : r))).toBe(503);
  });

  it('headers that never finish (slowloris) are cut at the header timeout', async () => {
    await withServer([await pairTensorModel()], { headersTimeoutMs: 1000, requestTimeoutMs: 2000 }, async (server) => {
      const slow = stalledRequest(
        server.http.url,
        'POST /v2/models/pair/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ',
      );
      const answer = await slow.response;
      await slow.closed;
      expect(answer === '' || /^HTTP\/1.1 408/.test(answer), answer).toBe(true);
      expect((await fetch(`${server.http.url}/v2/health/live`)).status).toBe(200);
    });
  });
});

describe('Prometheus metrics', () => {
  it('GET /metrics on the metrics port: per-model counters, durations, batch sizes, queue gauges and process memory, parsed by a Prometheus text parser', async () => {
    await withServer(
      [await pairTensorModel(), scriptedPairModel({ latencyMs: 0 })],
      { maxBatch: 4 },
      async (server) => {
        const client = new HttpV2Client(server.http.url);
        for (let k = 0; k < 3; k++) await client.infer({ model: 'pair', inputs: pairInputs });
        await fetch(`${server.http.url}/v2/models/pair/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: pairRequest({ shape: [1, 2], data: [1, 2] }, { shape: [2, 2], data: [1, 2, 3, 4] }),
        });
        await fetch(`${server.http.url}/v2/models/scripted/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: pairRequest({ shape: [1, 2], data: [666, 2] }, { shape: [1, 2], data: [1, 1] }),
        });
        const response = await fetch(server.metrics?.url as string);
        expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
        const samples = await parseExposition(await response.text());
        const value = (name: string, labels: Record<string, string>): number | undefined =>
          samples.find((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v))?.value;
        expect(value('polyinfer_requests_total', { model: 'pair', version: '1', outcome: 'success' })).toBe(3);
        expect(value('polyinfer_requests_total', { model: 'pair', outcome: 'failure' })).toBe(1);
        expect(value('polyinfer_requests_total', { model: 'scripted', outcome: 'failure' })).toBe(1);
        expect(value('polyinfer_requests_total', { model: 'scripted', outcome: 'cancelled' })).toBe(0);
        expect(samples.find((m) => m.family === 'polyinfer_request_duration_seconds')?.type).toBe('histogram');
        expect(value('polyinfer_compute_duration_seconds_count', { model: 'pair', version: '1' })).toBe(3);
        expect(value('polyinfer_queue_duration_seconds_bucket', { model: 'pair', le: '+Inf' })).toBe(3);
        expect([
          value('polyinfer_batch_size_count', { model: 'pair' }),
          value('polyinfer_batch_size_sum', { model: 'pair' }),
        ]).toEqual([3, 3]);
        expect(value('polyinfer_queue_depth', { model: 'pair' })).toBe(0);
        expect(value('polyinfer_executions_in_flight', { model: 'pair' })).toBe(0);
        expect(value('process_resident_memory_bytes', {})).toBeGreaterThan(10 * 2 ** 20);
        expect((await fetch(server.metrics?.url.replace('/metrics', '/other') as string)).status).toBe(404);
      },
    );
  });
});

describe('TLS', () => {
  it('serves HTTPS and gRPC over TLS with a certificate the test makes; clients trust it through `ca`, and not without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    const ca = readFileSync(cert, 'utf8');
    await withServer(
      [await pairTensorModel()],
      { grpcPort: 0, token: 'over-tls', tls: { cert: readFileSync(cert), key: readFileSync(key) } },
      async (server) => {
        expect(server.http.url).toMatch(/^https:\/\/127.0.0.1:\d+$/);
        expect(server.grpc?.url).toMatch(/^grpcs:\/\/127.0.0.1:\d+$/);
        for (const client of [
          new HttpV2Client(server.http.url, { ca, token: 'over-tls' }),
          new GrpcV2Client(server.grpc?.url as string, { ca, token: 'over-tls' }),
        ]) {
          const answer = await client.infer({ model: 'pair', inputs: pairInputs });
          expect(Array.from(answer.y?.data as Float32Array), client.server).toEqual([4, 10]);
          client.close();
        }
        for (const client of [
          new HttpV2Client(server.http.url, { retries: 0, token: 'over-tls' }),
          new GrpcV2Client(server.grpc?.url as string, { retries: 0, timeoutMs: 5000 }),
        ]) {
          const refused = await client.infer({ model: 'pair', inputs: pairInputs }).catch((e: unknown) => e);
          expect(isPolyinferError(refused), `${client.server}: ${String(refused)}`).toBe(true);
          expect(String(refused), client.server).not.toMatch(/answered 200/);
          client.close();
        }
        const { stdout } = await run('curl', [
          '-sS',
          '--cacert',
          cert,
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          `${server.http.url}/v2/health/live`,
        ]);
        expect(stdout).toBe('200');
        expect((await fetch(server.metrics?.url as string).catch((e: unknown) => e)) instanceof Error).toBe(true); // https only, with a CA fetch does not know
      },
    );
  });
});
