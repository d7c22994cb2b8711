import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { Tensor } from '@polyinfer/core';
import type { ModelDescriptor } from '@polyinfer/models';
import { PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_REC, resolveModelFile } from '@polyinfer/models';
import { summarise } from '@polyinfer/bench-core';

/**
 * Framework overhead: polyinfer's `session.run` (feed validation, tensor wrapping, output conversion) against a raw
 * onnxruntime-node `run` on the same model file, same input, same options, in one process. Runs alternate in short
 * blocks so that machine noise falls on both; the figure is the ratio of medians. Target ≤ 1.03.
 *
 *   pnpm bench:overhead [--runs 200]
 */

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);

const cases: { model: ModelDescriptor; dims: number[] }[] = [
  { model: PPOCR_MOBILE_V2_CLS, dims: [1, 3, 48, 192] },
  { model: PPOCR_V4_REC, dims: [1, 3, 48, 320] },
  { model: PPOCR_V4_DET, dims: [1, 3, 640, 640] },
];

const backend = await createOrtNodeBackend();
console.log(
  `Framework overhead, onnxruntime-node ${ort.env.versions.node ?? ''} CPU, ${runs} runs each, alternating blocks of 10`,
);
console.log(
  '| model | input | raw p50 ms | polyinfer p50 ms | ratio (p50) | raw mean ms | polyinfer mean ms | ratio (mean) |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const { model, dims } of cases) {
  const path = await resolveModelFile(model.model);
  const size = dims.reduce((a, b) => a * b, 1);
  // Image-like values: a smooth gradient (random noise gives the det model an empty map and an unrepresentative run).
  const data = Float32Array.from({ length: size }, (_, i) => Math.sin(i / 97) * 0.8);
  const raw = await ort.InferenceSession.create(path, {
    executionProviders: ['cpu'],
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
  const session = await backend.createSession(path, { device: 'cpu' });
  const inputName = session.inputs[0]?.name ?? 'x';
  const rawTimes: number[] = [];
  const ourTimes: number[] = [];
  const runRaw = async (): Promise<void> => {
    const start = performance.now();
    const out = await raw.run({ [inputName]: new ort.Tensor('float32', data, dims) });
    for (const t of Object.values(out)) void t.data;
    rawTimes.push(performance.now() - start);
  };
  const runOurs = async (): Promise<void> => {
    const start = performance.now();
    const out = await session.run({ [inputName]: new Tensor('float32', data, dims) });
    for (const t of Object.values(out)) void t.data;
    ourTimes.push(performance.now() - start);
  };
  for (let i = 0; i < 5; i++) {
    await runRaw();
    await runOurs();
  }
  rawTimes.length = 0;
  ourTimes.length = 0;
  for (let block = 0; block < runs / 10; block++) {
    for (let i = 0; i < 10; i++) await (block % 2 === 0 ? runRaw() : runOurs());
    for (let i = 0; i < 10; i++) await (block % 2 === 0 ? runOurs() : runRaw());
  }
  await raw.release();
  await session.dispose();
  const r = summarise(rawTimes);
  const p = summarise(ourTimes);
  console.log(
    `| ${model.id} | ${dims.join('×')} | ${r.p50.toFixed(3)} | ${p.p50.toFixed(3)} | ${(p.p50 / r.p50).toFixed(3)} | ${r.mean.toFixed(3)} | ${p.mean.toFixed(3)} | ${(p.mean / r.mean).toFixed(3)} |`,
  );
}
