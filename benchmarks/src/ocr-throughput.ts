import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '@polyinfer/backend-ort-node';
import type { OcrBatchItem } from '@polyinfer/models';
import { createOcrPipeline, OcrWorkerPool, sampleGroundTruth, SAMPLES_DIR } from '@polyinfer/models';

/**
 * Images per second over a folder: `ocr.runMany` with 1 image in flight (the one-at-a-time loop) against 2 and 3 in
 * flight in one pipeline, and against an OcrWorkerPool of N workers (a pipeline per worker thread: onnxruntime-node's
 * run holds its thread, so only threads overlap images). Alternating round by round in one process so the machine's
 * noise falls on each alike. The ratio is the figure.
 *
 *   pnpm bench:ocr-throughput [--rounds 5] [--copies 4] [--in-flight 1,2,3] [--workers 2]
 */
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    copies: { type: 'string', default: '4' },
    'in-flight': { type: 'string', default: '1,2,3' },
    workers: { type: 'string', default: '2' },
    threads: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const levels = values['in-flight'].split(',').map(Number);
const workerCounts = values.workers.split(',').filter(Boolean).map(Number);
// The six samples, several times over: a folder of a couple of dozen images.
const images = Array.from({ length: Number(values.copies) }, () =>
  Object.keys(sampleGroundTruth()).map((f) => join(SAMPLES_DIR, f)),
).flat();
const textsOf = (items: OcrBatchItem<string>[]): string =>
  JSON.stringify(
    items.map((item) =>
      'result' in item ? item.result.lines.map((l) => l.text).join('\n') : `error: ${item.error.message}`,
    ),
  );

const config = {
  backend: 'ort-node',
  devices: ['cpu'],
  ...(values.threads ? { options: { intraOpThreads: Number(values.threads) } } : {}),
};
const ocr = await createOcrPipeline(config);
const pools = await Promise.all(
  workerCounts.map((workers) =>
    OcrWorkerPool.create(config, { workers, backendModules: [import.meta.resolve('@polyinfer/backend-ort-node')] }),
  ),
);
try {
  await ocr.runMany(images.slice(0, 6)); // warm-up
  for (const pool of pools) await pool.runMany(images.slice(0, 6));
  const runs: { label: string; run: () => Promise<OcrBatchItem<string>[]> }[] = [
    ...levels.map((inFlight) => ({ label: `${inFlight} in flight`, run: () => ocr.runMany(images, { inFlight }) })),
    ...pools.map((pool) => ({ label: `${pool.workers} workers`, run: () => pool.runMany(images) })),
  ];
  const seconds = new Map(runs.map((r) => [r.label, [] as number[]]));
  const reference = textsOf(await ocr.runMany(images, { inFlight: 1 }));
  for (let round = 0; round < rounds; round++) {
    for (const { label, run } of runs) {
      const t0 = performance.now();
      const items = await run();
      seconds.get(label)?.push((performance.now() - t0) / 1000);
      // Same text, in the same order, whatever the overlap.
      if (textsOf(items) !== reference) throw new Error(`${label} read different text or order`);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const base = images.length / median(seconds.get(runs[0]?.label ?? '') ?? [1]);
  console.log(`${images.length} images × ${rounds} rounds, ort-node cpu, angle classifier on\n`);
  console.log('| how | images/s (median round) | × one at a time |');
  console.log('|---|---|---|');
  for (const { label } of runs) {
    const rate = images.length / median(seconds.get(label) ?? [1]);
    console.log(`| ${label} | ${rate.toFixed(2)} | ${(rate / base).toFixed(2)} |`);
  }
} finally {
  await ocr.dispose();
  await Promise.all(pools.map((p) => p.dispose()));
}
