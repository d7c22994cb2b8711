import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildOnnxModel, Tensor } from '@polyinfer/core';
import { pairExpected, pairModel } from '@polyinfer/core/testing';
import { HttpV2Client } from '@polyinfer/backend-remote';
import { GrpcV2Client } from '@polyinfer/backend-remote/grpc';

const SECONDS = Number(process.env.POLYINFER_SOAK_SECONDS ?? 60);
const CLIENTS = 16;

/** The hostile requests interleaved with the good ones: each must get its 4xx, never a neighbour's data. */
const MALFORMED: { body: string; headers?: Record<string, string>; status: number }[] = [
  {
    body: JSON.stringify({
      inputs: [
        { name: 'a', shape: [1, 2], datatype: 'FP32', data: [5000, 5000] },
        { name: 'b', shape: [2, 2], datatype: 'FP32', data: [1, 1, 1, 1] },
      ],
    }),
    status: 400,
  },
  {
    body: JSON.stringify({
      inputs: [
        { name: 'a', shape: [1, 2], datatype: 'FP32', data: [7000, 7000] },
        { name: 'b', shape: [0, 2], datatype: 'FP32', data: [] },
      ],
    }),
    status: 400,
  },
  { body: '{"inputs": [', status: 400 },
  { body: JSON.stringify({ inputs: [{ name: 'a', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] }), status: 400 },
  { body: '{}', headers: { origin: 'http://attacker.example' }, status: 403 },
  { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415 },
];

describe('polyinfer serve under a soak', () => {
  const bin = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

  it(
    `${CLIENTS} clients for ${SECONDS} s, malformed requests interleaved: no answer lost or wrong, resident memory flat after warm-up`,
    { timeout: (SECONDS + 120) * 1000 },
    async () => {
      const model = join(mkdtempSync(join(tmpdir(), 'soak-')), 'pair.onnx');
      writeFileSync(model, buildOnnxModel(pairModel));
      const child = spawn(
        process.execPath,
        [
          bin,
          'serve',
          '--model',
          `pair=${model}`,
          '--http-port',
          '0',
          '--grpc-port',
          '0',
          '--metrics-port',
          '0',
          '--batch-delay-ms',
          '1',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const urls = await new Promise<{ http: string; grpc: string; metrics: string }>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /REST (\S+), gRPC (\S+), metrics (\S+);/.exec(out);
          if (match) resolve({ http: match[1] as string, grpc: match[2] as string, metrics: match[3] as string });
        });
        child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`polyinfer serve exited ${code}: ${out}`)));
      });
      const memory = async (): Promise<{ rss: number; heap: number }> => {
        const text = await (await fetch(urls.metrics)).text();
        return {
          rss: Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]),
          heap: Number(/^nodejs_heap_size_used_bytes (\d+)/m.exec(text)?.[1]),
        };
      };
      const tally = { ok: 0, wrong: 0, lost: 0, refusedAsExpected: 0, refusedOtherwise: 0 };
      const problems: string[] = [];
      const warmUpEnds = performance.now() + Math.min(15, SECONDS / 4) * 1000;
      const ends = performance.now() + SECONDS * 1000;
      let afterWarmUp = { rss: 0, heap: 0 };
      const warmUpProbe = (async () => {
        await new Promise((r) => setTimeout(r, warmUpEnds - performance.now()));
        afterWarmUp = await memory();
      })();
      try {
        const client = async (c: number): Promise<void> => {
          // Three in four clients speak REST, one in four gRPC; every fifth request is a malformed one.
          const v2 =
            c % 4 === 3 ? new GrpcV2Client(urls.grpc, { retries: 0 }) : new HttpV2Client(urls.http, { retries: 0 });
          try {
            for (let k = 0; performance.now() < ends; k++) {
              if (k % 5 === 4 && c % 4 !== 3) {
                const bad = MALFORMED[(c + k) % MALFORMED.length] as (typeof MALFORMED)[number];
                const response = await fetch(`${urls.http}/v2/models/pair/infer`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', ...bad.headers },
                  body: bad.body,
                }).catch(() => undefined);
                if (!response) tally.lost++;
                else if (response.status === bad.status) tally.refusedAsExpected++;
                else {
                  tally.refusedOtherwise++;
                  problems.push(`malformed ${bad.body.slice(0, 40)}: ${response.status}`);
                }
                await response?.arrayBuffer();
                continue;
              }
              const rows = 1 + ((c + k) % 3);
              const a = Array.from({ length: rows * 2 }, (_, i) => c * 1000 + (k % 997) + i);
              const b = Array.from({ length: rows * 2 }, (_, i) => (i % 2 === 0 ? 2 : -1) * (c + 1));
              const answer = await v2
                .infer({
                  model: 'pair',
                  inputs: {
                    a: new Tensor('float32', Float32Array.from(a), [rows, 2]),
                    b: new Tensor('float32', Float32Array.from(b), [rows, 2]),
                  },
                })
                .catch((e: unknown) => e);
              if (answer instanceof Error) {
                tally.lost++;
                problems.push(`client ${c}: ${answer.message}`);
                continue;
              }
              const y = Array.from((answer as Record<string, Tensor>).y?.data as Float32Array);
              const expected = Array.from(Float32Array.from(pairExpected(a, b)));
              if (y.length === expected.length && y.every((v, i) => v === expected[i])) tally.ok++;
              else {
                tally.wrong++;
                problems.push(
                  `client ${c} request ${k}: got ${y.slice(0, 4).join(',')} for ${expected.slice(0, 4).join(',')}`,
                );
              }
            }
          } finally {
            v2.close();
          }
        };
        await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
        await warmUpProbe;
        const atEnd = await memory();
        const growthMiB = (atEnd.rss - afterWarmUp.rss) / 2 ** 20;
        const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
        process.stdout.write(
          `soak: ${JSON.stringify(tally)}; server RSS after warm-up ${mib(afterWarmUp.rss)} MiB (heap ${mib(afterWarmUp.heap)}), at the end ${mib(atEnd.rss)} MiB (heap ${mib(atEnd.heap)})\n`,
        );
        expect(problems.slice(0, 5)).toEqual([]);
        expect(tally.wrong + tally.lost + tally.refusedOtherwise).toBe(0);
        expect(tally.ok).toBeGreaterThan(CLIENTS * 10);
        expect(tally.refusedAsExpected).toBeGreaterThan(CLIENTS);
        // Flat: what a few hundred thousand requests leave behind, beyond the allocator's own swings.
        expect(growthMiB).toBeLessThan(48);
      } finally {
        child.kill('SIGTERM');
        expect(await exit).toBe(0);
      }
    },
  );
});
