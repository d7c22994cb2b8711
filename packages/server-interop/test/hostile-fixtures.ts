import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnnxModel, Tensor } from '@polyinfer/core';
import { pairExpected, pairModel } from '@polyinfer/core/testing';
import type { ServedModel, WireTensor } from '@polyinfer/server';
import { TensorModel } from '@polyinfer/server';
import { ortNodeRegistry } from './served-fixtures.js';

/** The pair model on onnxruntime-node, served as "pair". */
export async function pairTensorModel(name = 'pair'): Promise<TensorModel> {
  const path = join(mkdtempSync(join(tmpdir(), 'pair-')), 'pair.onnx');
  writeFileSync(path, buildOnnxModel(pairModel));
  return new TensorModel(name, await ortNodeRegistry().createSession(path, { options: { modelName: name } }));
}

/** A JSON infer body for the pair model. */
export function pairRequest(
  a: { shape: number[]; data: number[] },
  b: { shape: number[]; data: number[] },
  datatype = 'FP32',
): string {
  return JSON.stringify({
    inputs: [
      { name: 'a', shape: a.shape, datatype, data: a.data },
      { name: 'b', shape: b.shape, datatype: 'FP32', data: b.data },
    ],
  });
}

/**
 * A model computed in JavaScript, to make runs fail or wait on purpose: inputs a, b ([N, 2] FP32), output y = a·b + a;
 * a run fails (a plain Error, as a runtime's would) when any value of a is 666, or when a merged batch has more than
 * `failAbove` rows; each run waits `latencyMs`.
 */
export function scriptedPairModel(
  options: { name?: string; latencyMs?: number; failAbove?: number } = {},
): ServedModel & { runs: number[] } {
  const runs: number[] = [];
  return {
    name: options.name ?? 'scripted',
    version: '1',
    platform: 'test_scripted',
    batchable: true,
    inputs: pairModel.inputs.map((i) => ({ name: i.name, datatype: 'FP32', shape: [-1, 2] })),
    outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
    runs,
    async infer(inputs: readonly WireTensor[]): Promise<WireTensor[]> {
      const a = (inputs.find((i) => i.name === 'a') as WireTensor & { tensor: Tensor }).tensor;
      const b = (inputs.find((i) => i.name === 'b') as WireTensor & { tensor: Tensor }).tensor;
      runs.push(a.dims[0] as number);
      await new Promise((resolve) => setTimeout(resolve, options.latencyMs ?? 0));
      if (Array.from(a.data as Float32Array).includes(666))
        throw new Error('secret-internal-detail: the kernel hit 666');
      if (options.failAbove !== undefined && (a.dims[0] as number) > options.failAbove)
        throw new Error(`merged batch of ${a.dims[0]} rows is too large for this model`);
      const y = new Tensor(
        'float32',
        Float32Array.from(pairExpected(Array.from(a.data as Float32Array), Array.from(b.data as Float32Array))),
        a.dims,
      );
      return [{ name: 'y', datatype: 'FP32', shape: [...y.dims], tensor: y }];
    },
    async dispose() {},
  };
}

/** A BYTES model with no size bound but the server's: input blob BYTES [1] → its length (INT32 [1]). */
export function blobLengthModel(): ServedModel {
  return {
    name: 'blob',
    version: '1',
    platform: 'test_blob',
    batchable: false,
    inputs: [{ name: 'blob', datatype: 'BYTES', shape: [1] }],
    outputs: [{ name: 'length', datatype: 'INT32', shape: [1] }],
    async infer(inputs) {
      const blob = inputs[0] as WireTensor & { elements: Uint8Array[] };
      const length = new Tensor('int32', Int32Array.from([blob.elements[0]?.byteLength ?? 0]), [1]);
      return [{ name: 'length', datatype: 'INT32', shape: [1], tensor: length }];
    },
    async dispose() {},
  };
}

/** One HTTP request with any headers (Host included, which fetch may not set); status, headers and body back. */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers ?? {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * A client that sends the head of a request (and maybe part of its body) and then stalls. `response` resolves with
 * whatever the server sends back (or '' when it closes without a word); `closed` when the server closes the socket.
 */
export function stalledRequest(
  url: string,
  head: string,
  partialBody = '',
): { response: Promise<string>; closed: Promise<void>; destroy(): void } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.write(head + partialBody);
  let received = '';
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const response = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.includes('\r\n\r\n')) resolve(received);
    });
    socket.once('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  return { response, closed, destroy: () => socket.destroy() };
}

/** Polls until `check` holds (or throws after `limitMs`): for state another process or socket changes. */
export async function eventually(check: () => boolean | Promise<boolean>, limitMs = 30_000): Promise<void> {
  const until = performance.now() + limitMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
