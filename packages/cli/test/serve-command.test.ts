import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildOnnxModel, isPolyinferError, Tensor } from '@polyinfer/core';
import { conformanceModels } from '@polyinfer/core/testing';
import { createRemoteBackend, HttpV2Client } from '@polyinfer/backend-remote';
import { runCli } from '@polyinfer/cli';

const row = (k: number): Tensor => new Tensor('float32', Float32Array.from([k, -k, k + 1, -(k + 1)]), [1, 4]);

function dynamicModelFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'serve-cli-')), 'dynamic.onnx');
  writeFileSync(path, buildOnnxModel(conformanceModels.dynamic));
  return path;
}

/** A client that sends an infer request's head and the start of its body, then stalls; what the server answers. */
function stallUpload(http: string): { socket: Socket; answer: Promise<string> } {
  const { hostname, port } = new URL(http);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  socket.write(
    'POST /v2/models/dynamic/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"inputs":',
  );
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    socket.once('close', () => resolve(text));
  });
  return { socket, answer };
}

describe('polyinfer serve as a process', () => {
  const bin = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

  /** Starts `polyinfer serve` on free ports; resolves with its URLs once it says it is serving. */
  function startServe(
    args: string[],
  ): Promise<{ child: ReturnType<typeof spawn>; http: string; grpc: string; exit: Promise<number | null> }> {
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--http-port', '0', '--grpc-port', '0', '--metrics-port', '0', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /REST (http:\/\/[\d.]+:\d+), gRPC ([\d.]+:\d+)/.exec(out);
        if (match) resolve({ child, http: match[1] as string, grpc: match[2] as string, exit });
      });
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`polyinfer serve exited ${code}: ${out}`)));
    });
  }

  it('SIGTERM: stops taking requests, answers those already received, exits 0', async () => {
    const { child, http, exit } = await startServe(['--model', 'ppocr-v4-det', '--max-batch', '1']);
    const client = new HttpV2Client(http, { retries: 0 });
    // Four 640×640 detections queue up behind each other (tens of ms each): once the first is answered, the
    // others are in the server, and SIGTERM must let them finish.
    const image = new Tensor('float32', new Float32Array(3 * 640 * 640).fill(0.5), [1, 3, 640, 640]);
    const requests = Array.from({ length: 4 }, () => client.infer({ model: 'ppocr-v4-det', inputs: { x: image } }));
    await requests[0];
    child.kill('SIGTERM');
    const results = await Promise.allSettled(requests);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(await exit).toBe(0);
    const after = await client.serverLive().catch((e: unknown) => e);
    expect(isPolyinferError(after, 'REMOTE_UNAVAILABLE')).toBe(true);
  });

  it('SIGTERM with a stalled upload: exits at the shutdown timeout instead of waiting for the client', async () => {
    const { child, http, exit } = await startServe([
      '--model',
      `dynamic=${dynamicModelFile()}`,
      '--shutdown-timeout-s',
      '1',
    ]);
    const { answer } = stallUpload(http);
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    // One second of grace; the bound only says it did not wait on the client (which never finishes).
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(await answer).toMatch(/^HTTP\/1.1 503/);
  });

  it('a second SIGTERM during a graceful shutdown ends the process at once', async () => {
    const { child, http, exit } = await startServe([
      '--model',
      `dynamic=${dynamicModelFile()}`,
      '--shutdown-timeout-s',
      '600',
    ]);
    const { socket } = stallUpload(http);
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    // The first signal starts a shutdown that would wait ten minutes for the stalled upload; the second ends it.
    await new Promise((r) => setTimeout(r, 500));
    const started = performance.now();
    child.kill('SIGTERM');
    await exit;
    expect(child.signalCode).toBe('SIGTERM');
    expect(performance.now() - started).toBeLessThan(20_000);
    socket.destroy();
  });

  it('killed mid-run, its clients get typed errors, not hangs', async () => {
    const { child, http, grpc, exit } = await startServe(['--model', `dynamic=${dynamicModelFile()}`]);
    const backend = await createRemoteBackend({
      url: http,
      grpcUrl: grpc,
      retries: 1,
      backoffMs: 20,
      timeoutMs: 5_000,
    });
    const sessions = await Promise.all(['http', 'grpc'].map((device) => backend.createSession('dynamic', { device })));
    const stream = async (session: (typeof sessions)[number]): Promise<unknown> => {
      for (let k = 0; ; k++) await session.run({ x: row(k) });
    };
    const failures = sessions.map((s) => stream(s).catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    await exit;
    for (const failure of await Promise.all(failures)) {
      // Refused connections after the retry (REMOTE_UNAVAILABLE); a request the dying server had half-read can
      // only end by its deadline (REMOTE_TIMEOUT). Either way a typed error, in bounded time.
      expect(
        isPolyinferError(failure, 'REMOTE_UNAVAILABLE') || isPolyinferError(failure, 'REMOTE_TIMEOUT'),
        String(failure),
      ).toBe(true);
    }
    await Promise.all(sessions.map((s) => s.dispose()));
  });
});

describe('polyinfer export triton', () => {
  it('writes <dir>/<id>/config.pbtxt and <dir>/<id>/1/model.onnx for a model-set id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triton-cli-'));
    const out: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) };
    expect(await runCli(['export', 'triton', 'ppocr-v4-det', dir], io), out.join('')).toBe(0);
    expect(existsSync(join(dir, 'ppocr-v4-det', 'config.pbtxt'))).toBe(true);
    expect(existsSync(join(dir, 'ppocr-v4-det', '1', 'model.onnx'))).toBe(true);
    expect(await runCli(['export', 'triton', '/nope/missing.onnx', dir], io)).toBe(2);
    expect(out.join('')).toMatch(/polyinfer export: Cannot load model \/nope\/missing.onnx: file not found/);
  });
});
