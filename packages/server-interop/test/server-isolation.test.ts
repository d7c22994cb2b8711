import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { isPolyinferError, Tensor } from '@polyinfer/core';
import { HttpV2Client } from '@polyinfer/backend-remote';
import { GrpcV2Client } from '@polyinfer/backend-remote/grpc';
import { v2ServiceClient } from '@polyinfer/v2-protocol/grpc';
import type { RunningServer, ServedModel } from '@polyinfer/server';
import { serve } from '@polyinfer/server';
import { pairExpected } from '@polyinfer/core/testing';
import {
  blobLengthModel,
  eventually,
  pairRequest,
  pairTensorModel,
  scriptedPairModel,
  stalledRequest,
} from './hostile-fixtures.js';

const quiet = { httpPort: 0, metricsPort: 0 as const, grpcPort: false as const, log: () => undefined };

async function withServer(
  models: ServedModel[],
  options: Parameters<typeof serve>[0] extends infer O ? Partial<O> : never,
  body: (server: RunningServer) => Promise<void>,
): Promise<void> {
  const server = await serve({ ...quiet, ...options, models });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

const postJson = (
  server: RunningServer,
  model: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> =>
  fetch(`${server.http.url}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('batch isolation', () => {
  it('each client gets exactly its own rows; a request that does not fit the model alone is 400 and never joins a batch', async () => {
    await withServer([await pairTensorModel()], { maxBatch: 8, batchDelayMs: 300 }, async (server) => {
      // Victims with mixed row counts and values that differ everywhere (a swapped row cannot pass unnoticed).
      const victims = [1, 2, 1, 3, 1, 1].map((rows, k) => {
        const a = Array.from({ length: rows * 2 }, (_, i) => k * 10 + i + 1);
        const b = Array.from({ length: rows * 2 }, (_, i) => (k + 2) * (i % 2 === 0 ? 1 : -1));
        return { a, b, rows, expected: pairExpected(a, b) };
      });
      const hostile: [string, RegExp][] = [
        // The attack that once overwrote a victim's answer: rows of a and b disagree.
        [
          pairRequest({ shape: [1, 2], data: [5000, 5000] }, { shape: [2, 2], data: [1, 1, 1, 1] }),
          /inputs disagree on the batch dimension: "b" has 2 rows, an earlier input 1/,
        ],
        // The one that once read a victim's b: an empty b.
        [
          pairRequest({ shape: [1, 2], data: [7000, 7000] }, { shape: [0, 2], data: [] }),
          /inputs disagree on the batch dimension: "b" has 0 rows/,
        ],
        [pairRequest({ shape: [0, 2], data: [] }, { shape: [0, 2], data: [] }), /carries 1 to 64 rows/],
        [
          JSON.stringify({ inputs: [{ name: 'a', shape: [1, 2], datatype: 'FP32', data: [1, 1] }] }),
          /model pair needs input "b"/,
        ],
        [
          JSON.stringify({
            inputs: [
              { name: 'a', shape: [1, 2], datatype: 'FP32', data: [1, 1] },
              { name: 'a', shape: [1, 2], datatype: 'FP32', data: [1, 1] },
              { name: 'b', shape: [1, 2], datatype: 'FP32', data: [1, 1] },
            ],
          }),
          /input "a" is given twice/,
        ],
        [
          pairRequest({ shape: [1, 2], data: [1, 1] }, { shape: [1, 2], data: [1, 1] }, 'INT32'),
          /input "a" is FP32, got INT32/,
        ],
        [
          pairRequest({ shape: [1, 3], data: [1, 1, 1] }, { shape: [1, 3], data: [1, 1, 1] }),
          /input "a" has shape \[-1, 2\] \(-1: any\), got \[1, 3\]/,
        ],
      ];
      const answers = await Promise.all([
        ...victims.map((v) =>
          postJson(server, 'pair', pairRequest({ shape: [v.rows, 2], data: v.a }, { shape: [v.rows, 2], data: v.b })),
        ),
        ...hostile.map(([body]) => postJson(server, 'pair', body)),
      ]);
      for (const [k, v] of victims.entries()) {
        const response = answers[k] as Response;
        expect(response.status, `victim ${k}`).toBe(200);
        const output = (await response.json()).outputs[0];
        expect(output.shape, `victim ${k}`).toEqual([v.rows, 2]);
        expect(output.data, `victim ${k}`).toEqual(v.expected);
      }
      for (const [k, [, message]] of hostile.entries()) {
        const response = answers[victims.length + k] as Response;
        expect(response.status, String(message)).toBe(400);
        expect((await response.json()).error).toMatch(message);
      }
      // They did share executions: the isolation above held inside real batches.
      const stats = (await (await fetch(`${server.http.url}/v2/models/pair/stats`)).json()).model_stats[0];
      expect(stats.batch_stats.some((b: { batch_size: number }) => b.batch_size > 1)).toBe(true);
      expect(stats.inference_stats.fail.count).toBe(hostile.length);
    });
  });

  it('a batch whose run fails is run again request by request: each gets its own answer or its own error', async () => {
    const model = scriptedPairModel({ latencyMs: 5 });
    await withServer([model], { maxBatch: 8, batchDelayMs: 300 }, async (server) => {
      const rows = [
        [1, 2],
        [666, 1],
        [3, 4],
        [5, 6],
      ];
      const answers = await Promise.all(
        rows.map((a) =>
          postJson(server, 'scripted', pairRequest({ shape: [1, 2], data: a }, { shape: [1, 2], data: [2, 3] })),
        ),
      );
      for (const [k, a] of rows.entries()) {
        const response = answers[k] as Response;
        if (a[0] === 666) {
          expect(response.status).toBe(500);
          const error = (await response.json()).error as string;
          // An internal failure names no internals: a request id to find the log line by.
          expect(error).not.toMatch(/secret|666/);
          expect(error).toMatch(new RegExp(`internal error \\(request ${response.headers.get('x-request-id')}\\)`));
        } else {
          expect(response.status).toBe(200);
          expect((await response.json()).outputs[0].data).toEqual(pairExpected(a, [2, 3]));
        }
      }
      expect(Math.max(...model.runs)).toBeGreaterThan(1); // the merged run happened (and failed) before the single ones
    });
  });

  it('a merged batch the model cannot run is run request by request, each answered', async () => {
    const model = scriptedPairModel({ failAbove: 1 });
    await withServer([model], { maxBatch: 8, batchDelayMs: 300 }, async (server) => {
      const answers = await Promise.all(
        [1, 2, 3].map((k) =>
          postJson(server, 'scripted', pairRequest({ shape: [1, 2], data: [k, k] }, { shape: [1, 2], data: [k, 1] })),
        ),
      );
      for (const [i, response] of answers.entries())
        expect((await response.json()).outputs[0].data).toEqual(pairExpected([i + 1, i + 1], [i + 1, 1]));
    });
  });
});

describe('memory bounded by design', () => {
  it('a body larger than any valid request to the model is refused from its Content-Length, before it is sent', async () => {
    await withServer([await pairTensorModel()], {}, async (server) => {
      // 16 MiB declared, nothing sent: the answer comes anyway (the body is never read).
      const client = stalledRequest(
        server.http.url,
        `POST /v2/models/pair/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${16 * 2 ** 20}\r\n\r\n`,
      );
      const head = await client.response;
      client.destroy();
      expect(head).toMatch(/^HTTP\/1.1 413/);
      expect(head).toMatch(/the request body is 16777216 bytes; the limit for this model is \d+/);
      const ok = await new HttpV2Client(server.http.url).infer({
        model: 'pair',
        inputs: {
          a: new Tensor('float32', Float32Array.from([1, 2]), [1, 2]),
          b: new Tensor('float32', Float32Array.from([3, 4]), [1, 2]),
        },
      });
      expect(Array.from(ok.y?.data as Float32Array)).toEqual([4, 10]);
    });
  });

  it('request bytes in flight are capped (503 past --max-inflight-mb) and the liveness probe answers meanwhile', async () => {
    await withServer(
      [blobLengthModel()],
      { maxInflightBytes: 2 ** 20, maxRequestBytes: 4 * 2 ** 20 },
      async (server) => {
        const header = (length: number): string =>
          `POST /v2/models/blob/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
        // A client that declares 900 kB and stalls after a few bytes holds 900 kB of the budget.
        const stalled = stalledRequest(server.http.url, header(900_000), '{"inputs":[');
        await eventually(async () => (await fetch(`${server.http.url}/v2/health/live`)).status === 200);
        const second = stalledRequest(server.http.url, header(900_000));
        expect(await second.response).toMatch(/^HTTP\/1.1 503[\s\S]*retry-after: 1[\s\S]*--max-inflight-mb 1/i);
        second.destroy();
        expect((await fetch(`${server.http.url}/v2/health/live`)).status).toBe(200);
        // The stalled client leaves: its bytes go back to the budget and a full request is served.
        stalled.destroy();
        const blob = 'x'.repeat(800_000);
        await eventually(
          async () =>
            (
              await postJson(
                server,
                'blob',
                JSON.stringify({ inputs: [{ name: 'blob', shape: [1], datatype: 'BYTES', data: [blob] }] }),
              )
            ).status === 200,
        );
      },
    );
  });

  it('BYTES data with more elements than its shape declares is refused as soon as the count is passed', async () => {
    await withServer([blobLengthModel()], {}, async (server) => {
      // 1 M zero-length elements in 4 MB, declared as [1].
      const elements = Buffer.alloc(4 * 1_000_000);
      const header = Buffer.from(
        JSON.stringify({
          inputs: [
            { name: 'blob', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: elements.byteLength } },
          ],
        }),
      );
      const response = await fetch(`${server.http.url}/v2/models/blob/infer`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': String(header.byteLength),
        },
        body: Buffer.concat([header, elements]),
      });
      expect([response.status, (await response.json()).error]).toEqual([
        400,
        'input "blob": BYTES data holds more than the 1 elements its shape declares',
      ]);
    });
  });
});

describe('errors say whose they are', () => {
  it('a malformed URL is 400; an unknown route 404; an internal failure 500 with a request id that the log line carries', async () => {
    const lines: string[] = [];
    await withServer([scriptedPairModel()], { log: (line) => void lines.push(line) }, async (server) => {
      const malformed = await fetch(`${server.http.url}/v2/models/%E0%A4/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect([malformed.status, (await malformed.json()).error]).toEqual([400, 'URI malformed']);
      expect((await fetch(`${server.http.url}/v3/nothing`)).status).toBe(404);
      const failed = await postJson(
        server,
        'scripted',
        pairRequest({ shape: [1, 2], data: [666, 1] }, { shape: [1, 2], data: [1, 1] }),
      );
      const id = failed.headers.get('x-request-id') as string;
      expect(failed.status).toBe(500);
      expect((await failed.json()).error).toBe(`internal error (request ${id}); the server's log has the details`);
      expect(lines.filter((l) => l.includes(id))).toEqual([
        expect.stringMatching(/request .* POST \/v2\/models\/scripted\/infer failed: Error: secret-internal-detail/),
      ]);
      // The client's mistakes are not logged as failures of the server.
      expect(lines).toHaveLength(1);
    });
  });
});

describe('cancellation', () => {
  it('a client that leaves before its request runs takes it out of the queue (REST and gRPC), counted as cancelled', async () => {
    const model = scriptedPairModel({ latencyMs: 400 });
    await withServer([model], { maxBatch: 1, grpcPort: 0 }, async (server) => {
      const body = (k: number): string => pairRequest({ shape: [1, 2], data: [k, k] }, { shape: [1, 2], data: [1, 1] });
      const first = postJson(server, 'scripted', body(1));
      await eventually(() => model.runs.length === 1);
      const leaving = Array.from({ length: 4 }, () => new AbortController());
      const rest = leaving.map((c, k) => postJson(server, 'scripted', body(k + 2), {}).catch(() => 'left'));
      void rest;
      const restAborted = leaving.map((c, k) =>
        fetch(`${server.http.url}/v2/models/scripted/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body(k + 10),
          signal: c.signal,
        }).catch(() => 'left'),
      );
      const grpcClient = new GrpcV2Client(server.grpc?.url as string, { retries: 0 });
      const grpcLeaving = new AbortController();
      const grpcCall = grpcClient
        .infer({
          model: 'scripted',
          inputs: {
            a: new Tensor('float32', Float32Array.from([20, 20]), [1, 2]),
            b: new Tensor('float32', Float32Array.from([1, 1]), [1, 2]),
          },
          signal: grpcLeaving.signal,
        })
        .catch((e: unknown) => e);
      await eventually(() => server.server.scheduler('scripted').queueDepth === 9);
      for (const c of leaving) c.abort();
      grpcLeaving.abort();
      expect(isPolyinferError(await grpcCall, 'CANCELLED')).toBe(true);
      await Promise.all(restAborted);
      await eventually(() => server.server.scheduler('scripted').queueDepth === 4);
      expect((await first).status).toBe(200);
      await Promise.all(rest);
      const stats = (await (await fetch(`${server.http.url}/v2/models/scripted/stats`)).json()).model_stats[0];
      expect(stats.inference_stats.cancel.count).toBe(5);
      expect(stats.inference_stats.success.count).toBe(5);
      // The five that left never ran: 1 + the 4 that stayed.
      expect(model.runs).toHaveLength(5);
      grpcClient.close();
    });
  });
});

describe('gRPC', () => {
  /** A raw ModelInfer call with the bytes as the message (no client-side protobuf). */
  function rawModelInfer(url: string, bytes: Buffer, token?: string): Promise<grpc.ServiceError | null> {
    const Client = v2ServiceClient();
    const client = new Client(url, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        '/inference.GRPCInferenceService/ModelInfer',
        (b: Buffer) => b,
        (b: Buffer) => b,
        bytes,
        metadata,
        { deadline: Date.now() + 30_000 },
        (error) => {
          client.close();
          resolve(error);
        },
      );
    });
  }

  it("the token is checked before the message is parsed; garbage is the client's error; an oversized message RESOURCE_EXHAUSTED", async () => {
    await withServer(
      [await pairTensorModel()],
      { grpcPort: 0, token: 't0ken', maxRequestBytes: 64 * 1024 },
      async (server) => {
        // Field 1 with wire type 7, which protobuf does not have.
        const garbage = Buffer.from([0x0f, 0x01, 0x02]);
        const noToken = await rawModelInfer(server.grpc?.url as string, garbage);
        expect([noToken?.code, noToken?.details]).toEqual([
          grpc.status.UNAUTHENTICATED,
          'this server needs "Authorization: Bearer <token>"',
        ]);
        // protobuf's decoder reads what it can of garbage: whatever it makes of it is the client's mistake, never INTERNAL.
        const unparsable = await rawModelInfer(server.grpc?.url as string, garbage, 't0ken');
        expect([grpc.status.INVALID_ARGUMENT, grpc.status.NOT_FOUND]).toContain(unparsable?.code);
        const huge = await rawModelInfer(server.grpc?.url as string, Buffer.alloc(100 * 1024), 't0ken');
        expect(huge?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
        // And the server goes on.
        const client = new GrpcV2Client(server.grpc?.url as string, { token: 't0ken' });
        const ok = await client.infer({
          model: 'pair',
          inputs: {
            a: new Tensor('float32', Float32Array.from([1, 2]), [1, 2]),
            b: new Tensor('float32', Float32Array.from([3, 4]), [1, 2]),
          },
        });
        expect(Array.from(ok.y?.data as Float32Array)).toEqual([4, 10]);
        client.close();
      },
    );
  });
});
