import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyinferError, Tensor } from '@polyinfer/core';
import { conformanceModels, createMockBackend, encodeMockModel } from '@polyinfer/core/testing';
import { createRemoteBackend, HttpV2Client } from '@polyinfer/backend-remote';
import { GrpcV2Client } from '@polyinfer/backend-remote/grpc';
import { V2_PROTO_PATH } from '@polyinfer/v2-protocol/grpc';
import type { RunningServer } from '@polyinfer/server';
import { serve, TensorModel, writeTritonModel } from '@polyinfer/server';
import { PPOCR_V4_REC, resolveModelFile } from '@polyinfer/models';
import { conformanceModelSpecs, ortNodeRegistry, startTestServer } from './served-fixtures.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-grpcio and python3-grpc-tools (installed by .ci/run)
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** The conformance "dynamic" model ([N, 4] → relu, neg) on a mock backend whose every run takes `latencyMs`. */
async function slowDynamicModel(name: string, latencyMs: number): Promise<TensorModel> {
  const backend = createMockBackend({ latencyMs });
  return new TensorModel(
    name,
    await backend.createSession(encodeMockModel(conformanceModels.dynamic), { device: 'cpu' }),
  );
}

const row = (k: number): Tensor => new Tensor('float32', Float32Array.from([k, -k, k + 1, -(k + 1)]), [1, 4]);

describe('the bounded queue', () => {
  it('past --max-queue a request gets 503 at once, the rest are answered, and the server keeps serving', async () => {
    // Each run takes a second: the ten requests all arrive while the first runs, however busy the machine is.
    const server = await serve({
      models: [await slowDynamicModel('slow', 1000)],
      httpPort: 0,
      metricsPort: 0,
      grpcPort: false,
      maxQueue: 2,
      maxBatch: 1,
    });
    try {
      const client = new HttpV2Client(server.http.url, { retries: 0 });
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, k) =>
          client.infer({ model: 'slow', inputs: { x: row(k) } }).then(
            () => ({ ok: true, code: 'ok', ms: performance.now() - started }),
            (e: unknown) => ({
              ok: false,
              code: isPolyinferError(e) ? e.code : 'other',
              message: (e as Error).message,
              ms: performance.now() - started,
            }),
          ),
        ),
      );
      const answered = outcomes.filter((o) => o.ok);
      const refused = outcomes.filter((o) => !o.ok);
      // One running and two waiting are answered; the others are refused, each at once — not after a slot freed.
      expect(answered.length).toBeGreaterThanOrEqual(3);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(answered.length + refused.length).toBe(10);
      for (const r of refused) {
        expect(r.code).toBe('REMOTE_UNAVAILABLE');
        expect((r as { message: string }).message).toMatch(/503 model slow has 2 requests waiting \(--max-queue 2\)/);
        expect(r.ms).toBeLessThan(1000);
      }
      const later = await client.infer({ model: 'slow', inputs: { x: row(1) } });
      expect(Array.from(later.relu?.data as Float32Array)).toEqual([1, 0, 2, 0]);
    } finally {
      await server.close();
    }
  });

  it('a 503 is retried with backoff (the queue has room again by then), a 400 never is', async () => {
    const server = await serve({
      models: [await slowDynamicModel('slow', 30)],
      httpPort: 0,
      metricsPort: 0,
      grpcPort: false,
      maxQueue: 0,
      maxBatch: 1,
    });
    try {
      const patient = new HttpV2Client(server.http.url, { retries: 10, backoffMs: 40 });
      const results = await Promise.all(
        Array.from({ length: 3 }, (_, k) => patient.infer({ model: 'slow', inputs: { x: row(k) } })),
      );
      expect(results.map((r) => Array.from(r.neg?.data as Float32Array, (v) => v + 0))).toEqual(
        [0, 1, 2].map((k) => [-k, k, -(k + 1), k + 1].map((v) => v + 0)),
      );
      const stats = (await (await fetch(`${server.http.url}/v2/models/slow/stats`)).json()).model_stats[0];
      expect(stats.inference_stats.success.count).toBe(3);
      const wrong = await patient
        .infer({ model: 'slow', inputs: { x: new Tensor('float32', new Float32Array(3), [1, 3]) } })
        .catch((e: unknown) => e);
      expect(isPolyinferError(wrong, 'REMOTE_REJECTED')).toBe(true);
      expect((wrong as Error).message).toMatch(/answered 400: input "x" has shape \[-1, 4\] \(-1: any\), got \[1, 3\]/);
    } finally {
      await server.close();
    }
  });
});

describe('request size', () => {
  it('a body over the limit is 413 with the v2 error body, and the next request is served', async () => {
    const server = await serve({
      models: [await slowDynamicModel('small', 0)],
      httpPort: 0,
      metricsPort: 0,
      grpcPort: false,
      maxRequestBytes: 1024,
    });
    try {
      const big = JSON.stringify({
        inputs: [{ name: 'x', shape: [100, 4], datatype: 'FP32', data: Array(400).fill(0.5) }],
      });
      const refused = await fetch(`${server.http.url}/v2/models/small/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      expect([refused.status, (await refused.json()).error]).toEqual([
        413,
        `the request body is ${big.length} bytes; the limit for this model is 1024`,
      ]);
      const ok = await new HttpV2Client(server.http.url).infer({ model: 'small', inputs: { x: row(2) } });
      expect(Array.from(ok.relu?.data as Float32Array)).toEqual([2, 0, 3, 0]);
    } finally {
      await server.close();
    }
  });
});

describe('dynamic batching', () => {
  it('merges concurrent requests along the first dimension and gives each its own rows back', async () => {
    const counts: Record<string, { executions: number; inferences: number }> = {};
    for (const maxBatch of [1, 8]) {
      // A long batching delay: the sixteen requests meet in a batch however slowly they arrive.
      const server = await serve({
        models: [await slowDynamicModel('dyn', 20)],
        httpPort: 0,
        metricsPort: 0,
        grpcPort: false,
        maxBatch,
        batchDelayMs: 300,
      });
      try {
        const client = new HttpV2Client(server.http.url);
        const results = await Promise.all(
          Array.from({ length: 16 }, (_, k) => client.infer({ model: 'dyn', inputs: { x: row(k) } })),
        );
        results.forEach((r, k) =>
          expect(Array.from(r.relu?.data as Float32Array), `request ${k}`).toEqual([k, 0, k + 1, 0]),
        );
        const stats = (await (await fetch(`${server.http.url}/v2/models/dyn/stats`)).json()).model_stats[0];
        counts[`maxBatch ${maxBatch}`] = { executions: stats.execution_count, inferences: stats.inference_count };
        if (maxBatch > 1) expect(stats.batch_stats.some((b: { batch_size: number }) => b.batch_size > 1)).toBe(true);
      } finally {
        await server.close();
      }
    }
    expect(counts['maxBatch 1']).toEqual({ executions: 16, inferences: 16 });
    expect(counts['maxBatch 8']?.inferences).toBe(16);
    expect(counts['maxBatch 8']?.executions).toBeLessThanOrEqual(4);
  });
});

describe('auth', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ specs: conformanceModelSpecs(), token: 's3cret-token' });
  });
  afterAll(() => server?.close());

  it('every route but the health probes needs the bearer token (401 otherwise), over REST and gRPC', async () => {
    expect((await fetch(`${server.http.url}/v2/health/live`)).status).toBe(200);
    expect((await fetch(`${server.http.url}/v2/health/ready`)).status).toBe(200);
    const none = await fetch(`${server.http.url}/v2/models/add`);
    expect([none.status, (await none.json()).error]).toEqual([
      401,
      'this server needs "Authorization: Bearer <token>"',
    ]);
    expect((await fetch(`${server.http.url}/v2`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${server.http.url}/v2`, { headers: { authorization: 'Bearer s3cret-token' } })).status).toBe(
      200,
    );

    const anonymous = new GrpcV2Client(server.grpc?.url as string, { retries: 0 });
    const refused = await anonymous.modelMetadata('add').catch((e: unknown) => e);
    expect(isPolyinferError(refused, 'REMOTE_REJECTED')).toBe(true);
    expect((refused as { status: unknown }).status).toBe('UNAUTHENTICATED');
    expect(await anonymous.serverLive()).toBe(true);
    anonymous.close();

    const backend = await createRemoteBackend({
      url: server.http.url,
      grpcUrl: server.grpc?.url as string,
      token: 's3cret-token',
    });
    for (const device of ['http', 'grpc']) {
      const session = await backend.createSession('add', { device });
      const t = new Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
      expect(Array.from((await session.run({ a: t, b: t })).sum?.data as Float32Array)).toEqual([2, 4, 6, 8, 10, 12]);
      await session.dispose();
    }
  });
});

describe('timeouts and cancellation', () => {
  it('a call past its timeout is REMOTE_TIMEOUT, a cancelled one CANCELLED, both at once and never retried', async () => {
    const server = await serve({
      models: [await slowDynamicModel('slow', 3000)],
      httpPort: 0,
      metricsPort: 0,
      grpcPort: 0,
      maxBatch: 1,
    });
    try {
      for (const client of [
        new HttpV2Client(server.http.url, { timeoutMs: 100 }),
        new GrpcV2Client(server.grpc?.url as string, { timeoutMs: 100 }),
      ]) {
        const started = performance.now();
        const late = await client.infer({ model: 'slow', inputs: { x: row(1) } }).catch((e: unknown) => e);
        expect(isPolyinferError(late, 'REMOTE_TIMEOUT'), client.server).toBe(true);
        expect(performance.now() - started).toBeLessThan(2500);
        const controller = new AbortController();
        const pending = client
          .infer({ model: 'slow', inputs: { x: row(1) }, signal: controller.signal })
          .catch((e: unknown) => e);
        setTimeout(() => controller.abort(), 20);
        expect(isPolyinferError(await pending, 'CANCELLED'), client.server).toBe(true);
        client.close();
      }
      // Through a session: RunOptions.signal reaches the request in flight.
      const session = await (
        await createRemoteBackend({ url: server.http.url })
      ).createSession('slow', { device: 'http' });
      const controller = new AbortController();
      const run = session.run({ x: row(1) }, { signal: controller.signal }).catch((e: unknown) => e);
      setTimeout(() => controller.abort(), 20);
      expect(isPolyinferError(await run, 'CANCELLED')).toBe(true);
      await session.dispose();
    } finally {
      await server.close();
    }
  });
});

describe('independent clients', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ specs: conformanceModelSpecs() });
  });
  afterAll(() => server?.close());

  it('curl calls the REST routes', async () => {
    const curl = async (...args: string[]): Promise<string> =>
      (await run('curl', ['-sS', '--max-time', '30', ...args])).stdout;
    expect(await curl('-o', '/dev/null', '-w', '%{http_code}', `${server.http.url}/v2/health/live`)).toBe('200');
    expect(JSON.parse(await curl(`${server.http.url}/v2/models/add`))).toMatchObject({
      name: 'add',
      inputs: [{ name: 'a', datatype: 'FP32', shape: [2, 3] }, { name: 'b' }],
    });
    const body = JSON.stringify({
      inputs: [
        { name: 'a', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] },
        { name: 'b', shape: [2, 3], datatype: 'FP32', data: [1, 1, 1, 1, 1, 1] },
      ],
    });
    expect(
      JSON.parse(
        await curl('-H', 'content-type: application/json', '-d', body, `${server.http.url}/v2/models/add/infer`),
      ).outputs[0].data,
    ).toEqual([2, 3, 4, 5, 6, 7]);
    expect(
      await curl(
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-H',
        'content-type: application/json',
        '-d',
        '{',
        `${server.http.url}/v2/models/add/infer`,
      ),
    ).toBe('400');
    // curl's default form type is not a body infer takes (a browser's "simple" request types never are).
    expect(
      await curl('-o', '/dev/null', '-w', '%{http_code}', '-d', body, `${server.http.url}/v2/models/add/infer`),
    ).toBe('415');
  });

  it("Python's grpcio calls ModelInfer with the official proto compiled by grpc_tools", async () => {
    const { stdout } = await run(
      PYTHON,
      [here('./python/v2_grpc_client.py'), V2_PROTO_PATH, server.grpc?.url as string],
      { timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      live: true,
      inputs: [
        ['a', 'FP32', [2, 3]],
        ['b', 'FP32', [2, 3]],
      ],
      id: 'py-1',
      output: ['sum', 'FP32', [2, 3]],
      values: [11, 22, 33, 44, 55, 66],
      missing_model: 'NOT_FOUND',
    });
  });
});

describe('Triton model repository', () => {
  it("config.pbtxt parses with Triton's model_config.proto and matches the model's metadata", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triton-'));
    const registry = ortNodeRegistry();
    const export_ = async (name: string, path: string): Promise<void> => {
      const session = await registry.createSession(path, { backend: 'ort-node' });
      await writeTritonModel(dir, name, path, session, 8);
      await session.dispose();
    };
    await export_('ppocr-v4-rec', (await resolveModelFile(PPOCR_V4_REC.model)) as string);
    const add = (conformanceModelSpecs()[0] as string).split('=')[1] as string;
    await export_('add', add);
    const parse = async (name: string): Promise<unknown> =>
      JSON.parse(
        (
          await run(
            PYTHON,
            [
              here('./python/parse_triton_config.py'),
              here('./specs/model_config.proto'),
              join(dir, name, 'config.pbtxt'),
            ],
            { timeout: 60_000 },
          )
        ).stdout,
      );
    // int64 fields come back as strings from protobuf's JSON mapping.
    expect(await parse('ppocr-v4-rec')).toEqual({
      name: 'ppocr-v4-rec',
      backend: 'onnxruntime',
      max_batch_size: 8,
      input: [{ name: 'x', data_type: 'TYPE_FP32', dims: ['3', '48', '-1'] }],
      output: [{ name: 'softmax_11.tmp_0', data_type: 'TYPE_FP32', dims: ['-1', '6625'] }],
      dynamic_batching: {},
    });
    expect(await parse('add')).toEqual({
      name: 'add',
      backend: 'onnxruntime',
      input: [
        { name: 'a', data_type: 'TYPE_FP32', dims: ['2', '3'] },
        { name: 'b', data_type: 'TYPE_FP32', dims: ['2', '3'] },
      ],
      output: [{ name: 'sum', data_type: 'TYPE_FP32', dims: ['2', '3'] }],
    });
    expect(readFileSync(join(dir, 'add', '1', 'model.onnx'))).toEqual(readFileSync(add));
  });
});
