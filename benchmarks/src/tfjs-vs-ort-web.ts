import { parseArgs } from 'node:util';
import { createOrtWebBackend } from '@polyinfer/backend-ort-web';
import { createTfjsBackend } from '@polyinfer/backend-tfjs';
import type { Session } from '@polyinfer/core';
import { Tensor } from '@polyinfer/core';
import { summarise } from '@polyinfer/bench-core';
import { lightModelPath } from '@polyinfer/model-fixtures';
import { PPOCR_V4_DET, PPOCR_V4_REC, resolveModelFile } from '@polyinfer/models';

/**
 * tfjs:wasm against onnxruntime-web's wasm at one thread, on the same ONNX files, in one process: ONNX's light
 * ResNet50 and SqueezeNet as shipped (weights built by ConstantOfShape at load), PP-OCRv4 det at 640 and rec at
 * 48×320. Runs alternate in blocks of 5 so that machine noise falls on both; the figure is the ratio of medians
 * (tfjs ÷ onnxruntime-web; below 1 tfjs is faster).
 *
 *   pnpm bench:tfjs [--runs 40]
 */

const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' } } });
const runs = Number(values.runs);

const cases = [
  {
    label: 'ResNet50 (onnx light, ConstantOfShape weights)',
    path: async () => lightModelPath('resnet50'),
    dims: [1, 3, 224, 224],
  },
  {
    label: 'SqueezeNet 1.0 (onnx light, ConstantOfShape weights)',
    path: async () => lightModelPath('squeezenet'),
    dims: [1, 3, 224, 224],
  },
  { label: 'PP-OCRv4 det', path: async () => resolveModelFile(PPOCR_V4_DET.model), dims: [1, 3, 640, 640] },
  { label: 'PP-OCRv4 rec', path: async () => resolveModelFile(PPOCR_V4_REC.model), dims: [1, 3, 48, 320] },
];

const tfjs = await createTfjsBackend();
const ortWeb = await createOrtWebBackend({ numThreads: 1 });
console.log(
  `tfjs:wasm ÷ onnxruntime-web wasm (1 thread), Node ${process.version}, ${runs} runs each after 3 warm-ups, alternating blocks of 5`,
);
console.log('| model | input | tfjs load ms | ort-web load ms | tfjs p50 ms | ort-web p50 ms | ratio (p50) |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const c of cases) {
  const path = await c.path();
  const size = c.dims.reduce((a, b) => a * b, 1);
  // Image-like values (a smooth gradient): noise gives detectors an empty map and an unrepresentative run.
  const data = Float32Array.from({ length: size }, (_, i) => Math.sin(i / 97) * 0.8);
  const open = async (make: () => Promise<Session>): Promise<{ session: Session; ms: number }> => {
    const start = performance.now();
    const session = await make();
    return { session, ms: performance.now() - start };
  };
  const a = await open(() => tfjs.createSession(path, { device: 'wasm' }));
  const b = await open(() => ortWeb.createSession(path, { device: 'wasm' }));
  const times: [number[], number[]] = [[], []];
  const once = async (k: 0 | 1): Promise<void> => {
    const session = k === 0 ? a.session : b.session;
    const input = new Tensor('float32', data, c.dims);
    const start = performance.now();
    const out = await session.run({ [session.inputs[0]?.name ?? 'x']: input });
    for (const t of Object.values(out)) void t.data;
    times[k].push(performance.now() - start);
  };
  for (let i = 0; i < 3; i++) {
    await once(0);
    await once(1);
  }
  times[0].length = 0;
  times[1].length = 0;
  for (let block = 0; block < runs / 5; block++) {
    const first = (block % 2) as 0 | 1;
    for (let i = 0; i < 5; i++) await once(first);
    for (let i = 0; i < 5; i++) await once((1 - first) as 0 | 1);
  }
  const [ta, tb] = [summarise(times[0]).p50, summarise(times[1]).p50];
  console.log(
    `| ${c.label} | ${c.dims.join('×')} | ${a.ms.toFixed(0)} | ${b.ms.toFixed(0)} | ${ta.toFixed(1)} | ${tb.toFixed(1)} | ${(ta / tb).toFixed(2)} |`,
  );
  await Promise.all([a.session.dispose(), b.session.dispose()]);
}
