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
  /** polyinfer serve (no batching) ÷ the floor in each round of the alternating comparison. */
  floorRatios: number[];
  unbatched: LoadResult;
  batched: LoadResult;
  overload: LoadResult & { aliveAfter: boolean };
}

/** Models of the set whose first dimension is dynamic, with the input one request sends. */
export const LOAD_MODELS: Record<string, { name: string; dims: number[] }> = {
  'ppocr-mobile-v2-cls': { name: 'x', dims: [1, 3, 48, 192] },
  'ppocr-v4-rec': { name: 'x', dims: [1, 3, 48, 320] },
};

/** Slices of one load, as one: counts summed, throughput over the summed time, latencies' summary of the slices' p50/p99 taken from the slowest slice (conservative). */
function mergeLoadResults(slices: readonly LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number): number => slices.reduce((n, r) => n + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const slowest = [...slices].sort((a, b) => b.latency.p50 - a.latency.p50)[0] as LoadResult;
  return {
    clients: slowest.clients,
    seconds,
    sent: sum((r) => r.sent),
    answered: sum((r) => r.answered),
    wrong: sum((r) => r.wrong),
    refused503: sum((r) => r.refused503),
    otherErrors: slices.flatMap((r) => r.otherErrors),
    throughput: sum((r) => r.answered) / seconds,
    latency: slowest.latency,
  };
}

export async function serveLoad(options: {
  seconds: number;
  clients: number;
  overloadSeconds: number;
  model?: string;
  batchDelayMs?: number;
  rounds?: number;
}): Promise<ServeLoadReport> {
  const model = options.model ?? 'ppocr-mobile-v2-cls';
  const input = LOAD_MODELS[model];
  if (!input) throw new Error(`--model is one of ${Object.keys(LOAD_MODELS).join(', ')}`);
  const phase = async (
    scheduling: { maxBatch: number; batchDelayMs: number; maxQueue: number },
    clients: number,
    seconds: number,
  ): Promise<LoadResult & { aliveAfter: boolean }> => {
    const server = await startServeProcess({ models: [model], ...scheduling });
    try {
      const result = await runLoad({ url: server.http, model, input, clients, seconds, maxRequestsPerClient: 100_000 });
      const aliveAfter = await new HttpV2Client(server.http, { retries: 0 }).serverLive().catch(() => false);
      return { ...result, aliveAfter };
    } finally {
      await server.stop();
    }
  };
  // The floor and `polyinfer serve` unbatched, both up at once and loaded in alternating slices (ABBA), so the VM's
  // minute-to-minute drift falls on both alike; each round gives one ratio.
  const floorServer = await startFloorProcess({ model });
  const servedProcess = await startServeProcess({ models: [model], maxBatch: 1, batchDelayMs: 0, maxQueue: 64 }).catch(
    async (error: unknown) => {
      await floorServer.stop();
      throw error;
    },
  );
  const rounds = options.rounds ?? 4;
  const slice = options.seconds / rounds;
  const floorSlices: LoadResult[] = [];
  const servedSlices: LoadResult[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ([floorServer, servedProcess] as const) : ([servedProcess, floorServer] as const);
      for (const target of order) {
        const result = await runLoad({
          url: target.http,
          model,
          input,
          clients: options.clients,
          seconds: slice,
          maxRequestsPerClient: 100_000,
        });
        (target === floorServer ? floorSlices : servedSlices).push(result);
      }
    }
  } finally {
    await Promise.all([floorServer.stop(), servedProcess.stop()]);
  }
  const floor = mergeLoadResults(floorSlices);
  const unbatched = mergeLoadResults(servedSlices);
  const floorRatios = servedSlices.map((s, i) => s.throughput / (floorSlices[i] as LoadResult).throughput);
  const batched = await phase(
    { maxBatch: 16, batchDelayMs: options.batchDelayMs ?? 2, maxQueue: 64 },
    options.clients,
    options.seconds,
  );
  const overload = await phase(
    { maxBatch: 1, batchDelayMs: 0, maxQueue: 4 },
    options.clients * 4,
    options.overloadSeconds,
  );
  return { batchDelayMs: options.batchDelayMs ?? 2, floor, floorRatios, unbatched, batched, overload };
}

export function serveLoadTable(report: ServeLoadReport): string {
  const row = (name: string, r: LoadResult): string =>
    `| ${name} | ${r.clients} | ${r.seconds.toFixed(1)} | ${r.sent} | ${r.answered} | ${r.wrong} | ${r.refused503} | ${r.otherErrors.length} | ${r.throughput.toFixed(1)} | ${r.latency.p50.toFixed(2)} | ${r.latency.p99.toFixed(2)} |`;
  return [
    '| phase | clients | s | sent | answered | wrong | 503 | other errors | answered/s | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    row('floor: bare node:http + onnxruntime-node (alternating with the next row)', report.floor),
    row('no batching (--max-batch 1)', report.unbatched),
    row(`dynamic batching (--max-batch 16, ${report.batchDelayMs} ms)`, report.batched),
    row('overload (--max-queue 4)', report.overload),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '30' },
      clients: { type: 'string', default: '16' },
      model: { type: 'string', default: 'ppocr-mobile-v2-cls' },
      'batch-delay-ms': { type: 'string', default: '2' },
    },
  });
  const seconds = Number(values.seconds);
  const report = await serveLoad({
    seconds,
    clients: Number(values.clients),
    overloadSeconds: Math.min(seconds, 10),
    model: values.model,
    batchDelayMs: Number(values['batch-delay-ms']),
  });
  console.log(
    `${values.model}, ${values.clients} clients, REST with binary tensor data, server in a child process on 127.0.0.1\n`,
  );
  console.log(serveLoadTable(report));
  const ratios = [...report.floorRatios].sort((a, b) => a - b);
  console.log(
    `\npolyinfer serve (no batching) / floor throughput: ${(report.unbatched.throughput / report.floor.throughput).toFixed(2)}× overall, median of ${ratios.length} alternating rounds ${(ratios[Math.floor(ratios.length / 2)] as number).toFixed(2)}× (${ratios.map((r) => r.toFixed(2)).join(', ')}); batched / unbatched: ${(report.batched.throughput / report.unbatched.throughput).toFixed(2)}×; server alive after overload: ${report.overload.aliveAfter}`,
  );
  for (const [name, r] of Object.entries({
    unbatched: report.unbatched,
    batched: report.batched,
    overload: report.overload,
  }))
    if (r.otherErrors.length > 0) console.log(`${name}: ${r.otherErrors.slice(0, 3).join(' | ')}`);
}
