import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { characterErrorRate, exactLinesInOrder, summarise } from '@polyinfer/bench-core';
import { sampleGroundTruth, SAMPLES_DIR } from '@polyinfer/models';
import type { ContenderName } from './ocr-contender.js';
import { CONTENDERS } from './ocr-contender.js';
import { renderTestSet } from './ocr-test-set.js';

/**
 * End-to-end OCR per image: polyinfer's PP-OCRv4 pipeline against the JavaScript PaddleOCR libraries on npm, each on
 * the same PP-OCRv4 det/rec files where it takes model files, onnxruntime-node CPU. Each library runs in a process of
 * its own (its peak RSS is its own); the parent interleaves them image by image (A, B, C…) so the machine's noise
 * falls on all alike, and ratios are taken within this one run. Images: the 50 of the test set (rendered by
 * ocr-test-set.ts, never tuned on), or the six samples with --samples. Text is scored against the ground truth as
 * character error rate over whitespace-normalised page text, CER with no spaces at all, and line accuracy (the share
 * of ground-truth lines read exactly, in order).
 *
 *   pnpm bench:ocr [--rounds 3] [--samples] [--only polyinfer,paddleocr]
 */

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    samples: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const names = (values.only?.split(',') ?? [...CONTENDERS]) as ContenderName[];

let dir = SAMPLES_DIR;
let truth = sampleGroundTruth();
let categories: Record<string, string> = Object.fromEntries(Object.keys(truth).map((f) => [f, 'samples']));
if (!values.samples) {
  dir = join(process.env.POLYINFER_CACHE ?? join(tmpdir(), 'polyinfer-cache'), 'ocr-test-set');
  ({ truth, categories } = await renderTestSet(dir));
}
const images = Object.keys(truth);

interface Contender {
  name: ContenderName;
  child: ChildProcess;
  initMs: number;
  firstMs?: number;
  times: number[];
  texts: Map<string, string[]>;
  errors: Map<string, string>;
  peakRssBytes?: number;
}

const CHILD = fileURLToPath(new URL('./ocr-contender.js', import.meta.url));
const nextMessage = <T>(child: ChildProcess): Promise<T> =>
  new Promise((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`contender exited (${code})`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });

async function start(name: ContenderName): Promise<Contender> {
  const child = fork(CHILD, [name], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await nextMessage<{ initMs: number }>(child);
  return { name, child, initMs: ready.initMs, times: [], texts: new Map(), errors: new Map() };
}

async function read(c: Contender, image: string): Promise<{ ms: number; lines: string[]; error?: string }> {
  const reply = nextMessage<{ ms: number; lines: string[]; error?: string }>(c.child);
  c.child.send({ type: 'read', path: join(dir, image) });
  return reply;
}

// Started one after another, so that init times are not measured against each other's.
const contenders: Contender[] = [];
for (const name of names) contenders.push(await start(name));
for (const image of images) {
  for (const c of contenders) {
    const r = await read(c, image);
    c.firstMs ??= r.ms; // the first call, cold
    c.texts.set(image, r.lines);
    if (r.error) c.errors.set(image, r.error);
  }
}
for (let round = 0; round < rounds; round++) {
  for (const image of images) for (const c of contenders) c.times.push((await read(c, image)).ms);
}
for (const c of contenders) {
  const done = nextMessage<{ peakRssBytes: number }>(c.child);
  c.child.send({ type: 'exit' });
  c.peakRssBytes = (await done).peakRssBytes;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const noSpaces = (s: string): string => s.replace(/\s+/g, '');
function scores(c: Contender, subset: string[]): { cer: number; cerNoSpaces: number; lineAccuracy: number } {
  let cer = 0;
  let cerNoSpaces = 0;
  let exact = 0;
  let total = 0;
  for (const image of subset) {
    const got = c.texts.get(image) ?? [];
    const want = truth[image] ?? [];
    cer += characterErrorRate(got.join('\n'), want.join('\n'));
    cerNoSpaces += characterErrorRate(noSpaces(got.join('')), noSpaces(want.join('')));
    exact += exactLinesInOrder(got, want);
    total += want.length;
  }
  return { cer: cer / subset.length, cerNoSpaces: cerNoSpaces / subset.length, lineAccuracy: exact / total };
}

const fastestPeer = Math.min(
  ...contenders
    .filter((c) => !c.name.startsWith('polyinfer') && c.name !== 'gutenye')
    .map((c) => summarise(c.times).p50),
);
console.log(
  `OCR end to end: ${images.length} images (${values.samples ? 'the six samples' : 'the test set'}) × ${rounds} rounds, interleaved, one process per library, onnxruntime-node CPU\n`,
);
console.log(
  '| library | init ms | first call ms | median ms/img | p90 ms | ÷ faster of ppu / paddleocr | CER | CER, no spaces | lines exact | peak RSS MiB | errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const c of contenders) {
  const s = summarise(c.times);
  const e = scores(c, images);
  console.log(
    `| ${c.name} | ${c.initMs.toFixed(0)} | ${c.firstMs?.toFixed(0)} | ${s.p50.toFixed(1)} | ${s.p90.toFixed(1)} | ${Number.isFinite(fastestPeer) ? (s.p50 / fastestPeer).toFixed(2) : ''} | ${pct(e.cer)} | ${pct(e.cerNoSpaces)} | ${pct(e.lineAccuracy)} | ${((c.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} | ${c.errors.size} |`,
  );
}
const groups = [...new Set(Object.values(categories))];
if (groups.length > 1) {
  console.log(`\nCER by category (images per category in brackets)\n`);
  console.log(`| category | ${contenders.map((c) => c.name).join(' | ')} |`);
  console.log(`|---|${contenders.map(() => '---').join('|')}|`);
  for (const g of groups) {
    const subset = images.filter((i) => categories[i] === g);
    console.log(`| ${g} (${subset.length}) | ${contenders.map((c) => pct(scores(c, subset).cer)).join(' | ')} |`);
  }
  console.log(`\nLines exact by category (images per category in brackets)\n`);
  console.log(`| category | ${contenders.map((c) => c.name).join(' | ')} |`);
  console.log(`|---|${contenders.map(() => '---').join('|')}|`);
  for (const g of groups) {
    const subset = images.filter((i) => categories[i] === g);
    console.log(
      `| ${g} (${subset.length}) | ${contenders.map((c) => pct(scores(c, subset).lineAccuracy)).join(' | ')} |`,
    );
  }
}
for (const c of contenders)
  for (const [image, error] of c.errors) console.log(`\n${c.name} failed on ${image}: ${error}`);
