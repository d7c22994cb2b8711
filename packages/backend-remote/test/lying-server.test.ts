import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isPolyinferError, Tensor } from '@polyinfer/core';
import { HttpV2Client } from '@polyinfer/backend-remote';

/** A server that answers however the test says, counting what it received. */
async function fakeServer(
  answer: (request: IncomingMessage, response: ServerResponse, count: number) => void,
): Promise<{
  url: string;
  received: { method: string; path: string; authorization?: string }[];
  close(): Promise<void>;
}> {
  const received: { method: string; path: string; authorization?: string }[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      });
      answer(request, response, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function start(answer: Parameters<typeof fakeServer>[0]) {
  const server = await fakeServer(answer);
  servers.push(server);
  return server;
}

const x = new Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]);
const binaryAnswer = (response: ServerResponse, header: object, data: Uint8Array): void => {
  const json = Buffer.from(JSON.stringify(header));
  response
    .writeHead(200, { 'content-type': 'application/octet-stream', 'inference-header-content-length': json.byteLength })
    .end(Buffer.concat([json, data]));
};

describe('the REST client against a server that lies', () => {
  it('a binary_data_size past the body, or bytes left unclaimed, is REMOTE_PROTOCOL', async () => {
    const cases: [object, number, RegExp][] = [
      [
        { outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4], parameters: { binary_data_size: 1_000_000 } }] },
        16,
        /binary_data_size 1000000 runs past the 16 bytes left/,
      ],
      [
        { outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4], parameters: { binary_data_size: 16 } }] },
        20,
        /4 bytes of binary data follow the outputs unclaimed/,
      ],
      [
        { outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 8], parameters: { binary_data_size: 16 } }] },
        16,
        /FP32 \[1, 8\] should be 32 bytes, got 16/,
      ],
    ];
    for (const [header, bytes, message] of cases) {
      const server = await start((_, response) => binaryAnswer(response, header, new Uint8Array(bytes)));
      const error = await new HttpV2Client(server.url).infer({ model: 'm', inputs: { x } }).catch((e: unknown) => e);
      expect(isPolyinferError(error, 'REMOTE_PROTOCOL'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('an answer larger than maxResponseBytes is refused, by its Content-Length or as it streams in', async () => {
    const declared = await start((_, response) =>
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 10_000_000 }).end(),
    );
    const lying = await start((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length to check up front
      response.end(Buffer.alloc(300_000, 0x20));
    });
    for (const server of [declared, lying]) {
      const error = await new HttpV2Client(server.url, { maxResponseBytes: 100_000 })
        .infer({ model: 'm', inputs: { x } })
        .catch((e: unknown) => e);
      expect(isPolyinferError(error, 'REMOTE_PROTOCOL'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/the client reads at most 100000 \(maxResponseBytes\)/);
    }
  });

  it('a redirect is not followed: the token never reaches another host', async () => {
    const elsewhere = await start((_, response) => response.writeHead(200).end('{}'));
    const redirecting = await start((_, response) =>
      response.writeHead(307, { location: `${elsewhere.url}/v2/models/m/infer` }).end(),
    );
    const error = await new HttpV2Client(redirecting.url, { token: 'secret' })
      .infer({ model: 'm', inputs: { x } })
      .catch((e: unknown) => e);
    expect(isPolyinferError(error, 'REMOTE_PROTOCOL')).toBe(true);
    expect((error as Error).message).toMatch(
      /redirected POST \/v2\/models\/m\/infer \(307 to http:\/\/127.0.0.1:\d+\/v2\/models\/m\/infer\); redirects are not followed/,
    );
    expect(elsewhere.received).toEqual([]);
  });

  it('an inference whose connection breaks after it was sent is never sent again; a read is', async () => {
    const breaking = await start((request) => request.socket.destroy());
    const error = await new HttpV2Client(breaking.url, { retries: 3, backoffMs: 1 })
      .infer({ model: 'm', inputs: { x } })
      .catch((e: unknown) => e);
    expect(isPolyinferError(error, 'REMOTE_UNAVAILABLE'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/not sent again, since the server may have run it/);
    expect(breaking.received.filter((r) => r.method === 'POST')).toHaveLength(1);
    await new HttpV2Client(breaking.url, { retries: 3, backoffMs: 1 }).serverMetadata().catch((e: unknown) => e);
    expect(breaking.received.filter((r) => r.method === 'GET')).toHaveLength(4);
  });

  it('a 503 (the server did not take the request) is retried; the retried inference succeeds once', async () => {
    const busy = await start((_, response, count) => {
      if (count < 3)
        return void response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"queue full"}');
      binaryAnswer(
        response,
        { outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4], parameters: { binary_data_size: 16 } }] },
        new Uint8Array(Float32Array.from([4, 3, 2, 1]).buffer),
      );
    });
    const answer = await new HttpV2Client(busy.url, { retries: 3, backoffMs: 1 }).infer({ model: 'm', inputs: { x } });
    expect(Array.from(answer.y?.data as Float32Array)).toEqual([4, 3, 2, 1]);
    expect(busy.received).toHaveLength(3);
  });
});
