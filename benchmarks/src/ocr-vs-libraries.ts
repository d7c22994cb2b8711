import { join } from 'node:path';
import { parseArgs } from 'node:util';
import GutenOcr from '@gutenye/ocr-node';
import '@polyinfer/backend-ort-node';
import type { OcrConfig } from '@polyinfer/models';
import { createOcrPipeline, sampleGroundTruth, SAMPLES_DIR } from '@polyinfer/models';
import { summarise } from '@polyinfer/core/bench';
import { characterErrorRate } from '@polyinfer/core/bench';

/**
 * End-to-end OCR per image: polyinfer's PP-OCRv4 pipeline against @gutenye/ocr-node, which runs the same ONNX files
 * on the same onnxruntime-node. Runs are interleaved image by image (A, B, A, B…) so that the machine's noise falls
 * on both alike, and the ratio is taken within this one run. Text is scored as character error rate against the
 * samples' ground truth (whitespace-normalised page text: line splits don't count, lost spaces do).
 *
 *   pnpm bench:ocr [--rounds 10]
 */

interface Contender {
  name: string;
  read: (path: string) => Promise<string[]>;
  close: () => Promise<void>;
}

async function polyinfer(name: string, config: OcrConfig): Promise<Contender> {
  const ocr = await createOcrPipeline(config);
  return { name, read: async (path) => (await ocr.run(path)).lines.map((l) => l.text), close: () => ocr.dispose() };
}

async function guten(): Promise<Contender> {
  const ocr = await GutenOcr.create();
  return { name: '@gutenye/ocr-node 1.4.8', read: async (path) => (await ocr.detect(path)).map((l: { text: string }) => l.text), close: async () => {} };
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' } } });
const rounds = Number(values.rounds);
const truth = sampleGroundTruth();
const images = Object.keys(truth);

const contenders = [
  await polyinfer('polyinfer (det+cls+rec)', {}),
  await polyinfer('polyinfer (det+rec, no angle classifier)', { cls: false }),
  await guten(),
];
const latencies = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
const errors = new Map<string, { image: string; cer: number }[]>(contenders.map((c) => [c.name, []]));

for (const c of contenders) for (const image of images) await c.read(join(SAMPLES_DIR, image)); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const image of images) {
    for (const c of contenders) {
      const start = performance.now();
      const lines = await c.read(join(SAMPLES_DIR, image));
      latencies.get(c.name)?.push(performance.now() - start);
      if (round === 0) errors.get(c.name)?.push({ image, cer: characterErrorRate(lines.join('\n'), (truth[image] as string[]).join('\n')) });
    }
  }
}
for (const c of contenders) await c.close();

const baseline = summarise(latencies.get(contenders[contenders.length - 1]?.name as string) as number[]);
console.log(`OCR end to end, ${images.length} sample images × ${rounds} rounds, interleaved, onnxruntime-node CPU`);
console.log('| library | p50 ms | p90 ms | mean ms | p50 ratio vs gutenye | CER, all samples | CER, upright pages |');
console.log('|---|---|---|---|---|---|---|');
for (const c of contenders) {
  const s = summarise(latencies.get(c.name) as number[]);
  const e = errors.get(c.name) as { image: string; cer: number }[];
  const mean = (list: { cer: number }[]): string => `${((list.reduce((a, b) => a + b.cer, 0) / list.length) * 100).toFixed(2)} %`;
  const upright = e.filter((x) => x.image !== 'upside-down.png');
  console.log(`| ${c.name} | ${s.p50.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.mean.toFixed(1)} | ${(s.p50 / baseline.p50).toFixed(3)} | ${mean(e)} | ${mean(upright)} |`);
}
