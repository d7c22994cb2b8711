import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '@polyinfer/backend-ort-node';
import { createOcrPipeline, sampleGroundTruth, SAMPLES_DIR } from '@polyinfer/models';

/**
 * Images per second over a folder: `ocr.runMany` with 1 image in flight (the one-at-a-time loop) against 2 and 3,
 * alternating round by round in one process so the machine's noise falls on each alike. The ratio is the figure.
 *
 *   pnpm bench:ocr-throughput [--rounds 5] [--copies 4]
 */
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, copies: { type: 'string', default: '4' }, 'in-flight': { type: 'string', default: '1,2,3' }, threads: { type: 'string' } } });
const rounds = Number(values.rounds);
const levels = values['in-flight'].split(',').map(Number);
// The six samples, several times over: a folder of a couple of dozen images.
const images = Array.from({ length: Number(values.copies) }, () => Object.keys(sampleGroundTruth()).map((f) => join(SAMPLES_DIR, f))).flat();

const ocr = await createOcrPipeline({ backend: 'ort-node', devices: ['cpu'], ...(values.threads ? { options: { intraOpThreads: Number(values.threads) } } : {}) });
try {
  await ocr.runMany(images.slice(0, 6)); // warm-up
  const seconds = new Map<number, number[]>(levels.map((n) => [n, []]));
  const reference = (await ocr.runMany(images, { inFlight: 1 })).map((item) => ('result' in item ? item.result.lines.map((l) => l.text).join('\n') : `error: ${item.error.message}`));
  for (let round = 0; round < rounds; round++) {
    for (const inFlight of levels) {
      const t0 = performance.now();
      const items = await ocr.runMany(images, { inFlight });
      seconds.get(inFlight)?.push((performance.now() - t0) / 1000);
      // Same text, in the same order, whatever the overlap.
      const texts = items.map((item) => ('result' in item ? item.result.lines.map((l) => l.text).join('\n') : `error: ${item.error.message}`));
      if (JSON.stringify(texts) !== JSON.stringify(reference)) throw new Error(`${inFlight} in flight read different text or order`);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const base = images.length / median(seconds.get(1) ?? [1]);
  console.log(`${images.length} images × ${rounds} rounds, ort-node cpu, angle classifier on\n`);
  console.log('| images in flight | images/s (median round) | × one at a time |');
  console.log('|---|---|---|');
  for (const n of levels) {
    const rate = images.length / median(seconds.get(n) ?? [1]);
    console.log(`| ${n} | ${rate.toFixed(2)} | ${(rate / base).toFixed(2)} |`);
  }
} finally {
  await ocr.dispose();
}
