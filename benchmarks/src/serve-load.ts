import { parseArgs } from 'node:util';
import { HttpV2Client } from '@polyinfer/backend-remote';
import { startFloorProcess, startServeProcess } from './serve-load/serve-process.js';
import type { LoadResult } from './serve-load/load-run.js';
import { runLoad } from './serve-load/load-run.js';

/**
 * Load test of `polyinfer serve` on loopback, bounded in time and count: 16 clients in closed loops against the
 * angle classifier (first dimension dynamic), without and with dynamic batching; then 64 clients against a short
 * queue to see 503s and a server that stays up.
 *
 *   pnpm bench:serve [--seconds 30] [--clients 16] [--model ppocr-mobile-v2-cls | ppocr-v4-rec] [--batch-delay-ms 2]
 */
export interface ServeLoadReport {
  batchDelayMs: number;
  /** A bare node:http server calling onnxruntime-node directly, with the same clients: the floor for a Node server. */
  floor: LoadResult;
  unbatched: LoadResult;
  batched: LoadResult;
  overload: LoadResult & { aliveAfter: boolean };
}

/** Models of the set whose first dimension is dynamic, with the input one request sends. */
export const LOAD_MODELS: Record<string, { name: string; dims: number[] }> = {
  'ppocr-mobile-v2-cls': { name: 'x', dims: [1, 3, 48, 192] },
  'ppocr-v4-rec': { name: 'x', dims: [1, 3, 48, 320] },
};

export async function serveLoad(options: { seconds: number; clients: number; overloadSeconds: number; model?: string; batchDelayMs?: number }): Promise<ServeLoadReport> {
  const model = options.model ?? 'ppocr-mobile-v2-cls';
  const input = LOAD_MODELS[model];
  if (!input) throw new Error(`--model is one of ${Object.keys(LOAD_MODELS).join(', ')}`);
  const phase = async (scheduling: { maxBatch: number; batchDelayMs: number; maxQueue: number }, clients: number, seconds: number): Promise<LoadResult & { aliveAfter: boolean }> => {
    const server = await startServeProcess({ models: [model], ...scheduling });
    try {
      const result = await runLoad({ url: server.http, model, input, clients, seconds, maxRequestsPerClient: 100_000 });
      const aliveAfter = await new HttpV2Client(server.http, { retries: 0 }).serverLive().catch(() => false);
      return { ...result, aliveAfter };
    } finally {
      await server.stop();
    }
  };
  const floorServer = await startFloorProcess({ model });
  let floor: LoadResult;
  try {
    floor = await runLoad({ url: floorServer.http, model, input, clients: options.clients, seconds: options.seconds, maxRequestsPerClient: 100_000 });
  } finally {
    await floorServer.stop();
  }
  const unbatched = await phase({ maxBatch: 1, batchDelayMs: 0, maxQueue: 64 }, options.clients, options.seconds);
  const batched = await phase({ maxBatch: 16, batchDelayMs: options.batchDelayMs ?? 2, maxQueue: 64 }, options.clients, options.seconds);
  const overload = await phase({ maxBatch: 1, batchDelayMs: 0, maxQueue: 4 }, options.clients * 4, options.overloadSeconds);
  return { batchDelayMs: options.batchDelayMs ?? 2, floor, unbatched, batched, overload };
}

export function serveLoadTable(report: ServeLoadReport): string {
  const row = (name: string, r: LoadResult): string =>
    `| ${name} | ${r.clients} | ${r.seconds.toFixed(1)} | ${r.sent} | ${r.answered} | ${r.wrong} | ${r.refused503} | ${r.otherErrors.length} | ${r.throughput.toFixed(1)} | ${r.latency.p50.toFixed(2)} | ${r.latency.p99.toFixed(2)} |`;
  return [
    '| phase | clients | s | sent | answered | wrong | 503 | other errors | answered/s | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    row('floor: bare node:http + onnxruntime-node', report.floor),
    row('no batching (--max-batch 1)', report.unbatched),
    row(`dynamic batching (--max-batch 16, ${report.batchDelayMs} ms)`, report.batched),
    row('overload (--max-queue 4)', report.overload),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, clients: { type: 'string', default: '16' }, model: { type: 'string', default: 'ppocr-mobile-v2-cls' }, 'batch-delay-ms': { type: 'string', default: '2' } } });
  const seconds = Number(values.seconds);
  const report = await serveLoad({ seconds, clients: Number(values.clients), overloadSeconds: Math.min(seconds, 10), model: values.model, batchDelayMs: Number(values['batch-delay-ms']) });
  console.log(`${values.model}, ${values.clients} clients, REST with binary tensor data, server in a child process on 127.0.0.1\n`);
  console.log(serveLoadTable(report));
  console.log(`\npolyinfer serve (no batching) / floor throughput: ${(report.unbatched.throughput / report.floor.throughput).toFixed(2)}×; batched / unbatched: ${(report.batched.throughput / report.unbatched.throughput).toFixed(2)}×; server alive after overload: ${report.overload.aliveAfter}`);
  for (const [name, r] of Object.entries({ unbatched: report.unbatched, batched: report.batched, overload: report.overload })) if (r.otherErrors.length > 0) console.log(`${name}: ${r.otherErrors.slice(0, 3).join(' | ')}`);
}
