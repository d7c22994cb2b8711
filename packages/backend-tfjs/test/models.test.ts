import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRegistry, Tensor } from '@polyinfer/core';
import { imageLikeTensor, maxAbsDifference } from '@polyinfer/core/testing';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { createTfjsBackend, registerTfjsBackend } from '@polyinfer/backend-tfjs';
import type { ModelDescriptor } from '@polyinfer/models';
import {
  createOcrPipeline,
  PPOCR_MOBILE_V2_CLS,
  PPOCR_V4_DET,
  PPOCR_V4_REC,
  resolveModelFile,
  sampleGroundTruth,
  SAMPLES_DIR,
} from '@polyinfer/models';
import {
  CLASSIC_CNNS,
  lightExpectedOutputPath,
  lightModelPath,
  readTensorProto,
  reweightedPath,
} from '@polyinfer/model-fixtures';

async function diffAgainstOrt(model: string, input: Tensor, device: string): Promise<number> {
  const [tfjs, ort] = await Promise.all([createTfjsBackend(), createOrtNodeBackend()]);
  const [a, b] = await Promise.all([
    tfjs.createSession(model, { device }),
    ort.createSession(model, { device: 'cpu' }),
  ]);
  const name = a.inputs[0]?.name as string;
  const [ga, gb] = [await a.run({ [name]: input }), await b.run({ [name]: input })];
  await Promise.all([a.dispose(), b.dispose()]);
  return Math.max(
    ...Object.keys(gb).map((k) => maxAbsDifference(ga[k]?.data as Float32Array, gb[k]?.data as Float32Array)),
  );
}

/** Transpose kernels in one run of a model on tfjs wasm, with the layout pass on or off. */
async function transposesPerRun(model: string, input: Tensor, channelsLast: boolean): Promise<number> {
  const session = await (
    await createTfjsBackend()
  ).createSession(model, { device: 'wasm', backendOptions: { channelsLast } });
  try {
    const feeds = { [session.inputs[0]?.name as string]: input };
    await session.run(feeds);
    const profile = await tf.profile(async () => void (await session.run(feeds)));
    return profile.kernels.filter((k) => k.name === 'Transpose').length;
  } finally {
    await session.dispose();
  }
}

describe('the layout pass on the PP-OCR models', () => {
  // Counted with the pass off (NCHW↔NHWC around every conv and pool) and on; README and issue 13 report these. det's
  // include the two of its upsampling's depth-to-space (a reshape-transpose, faster in tfjs-wasm than its own kernel).
  const cases: [ModelDescriptor, number[], number, number][] = [
    [PPOCR_V4_DET, [1, 3, 96, 96], 142, 6],
    [PPOCR_V4_REC, [1, 3, 48, 96], 87, 13],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192], 108, 2],
  ];
  for (const [model, dims, off, on] of cases) {
    it(`${model.id}: ${off} transposes per run without it, ${on} with it`, { timeout: 120_000 }, async () => {
      const file = await resolveModelFile(model.model);
      expect(await transposesPerRun(file, imageLikeTensor(dims), false)).toBe(off);
      expect(await transposesPerRun(file, imageLikeTensor(dims), true)).toBe(on);
    });
  }
});

// Tolerance 1e-4 on probabilities and maps; seen here ~1e-7 to 2e-6.
describe('PP-OCR models on tfjs match onnxruntime-node', () => {
  const cases: [ModelDescriptor, number[], string][] = [
    [PPOCR_V4_DET, [1, 3, 640, 640], 'wasm'],
    [PPOCR_V4_REC, [1, 3, 48, 320], 'wasm'],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192], 'wasm'],
    // tfjs-backend-cpu is plain JavaScript (~30× slower on convolutions): smaller inputs.
    [PPOCR_V4_DET, [1, 3, 96, 96], 'cpu'],
    [PPOCR_V4_REC, [1, 3, 48, 96], 'cpu'],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192], 'cpu'],
  ];
  for (const [model, dims, device] of cases) {
    it(`${model.id} ${dims.join('×')} on ${device}`, { timeout: 120_000 }, async () => {
      expect(
        await diffAgainstOrt(await resolveModelFile(model.model), imageLikeTensor(dims), device),
      ).toBeLessThanOrEqual(1e-4);
    });
  }

  it('the OCR pipeline on tfjs wasm reads every sample as ort-node does', { timeout: 180_000 }, async () => {
    const registry = createRegistry();
    registerTfjsBackend(registry);
    const ocr = await createOcrPipeline({ registry, backend: 'tfjs', devices: ['wasm'] });
    for (const [file, lines] of Object.entries(sampleGroundTruth())) {
      expect(
        (await ocr.run(`${SAMPLES_DIR}${file}`)).lines.map((l) => l.text),
        file,
      ).toEqual(lines);
    }
    await ocr.dispose();
  });
});

describe('classic CNNs (onnx-light) on tfjs wasm', () => {
  it('reproduce their stored expected outputs', { timeout: 120_000 }, async () => {
    const tfjs = await createTfjsBackend();
    const n = 3 * 224 * 224;
    const x = new Tensor(
      'float32',
      Float32Array.from({ length: n }, (_, i) => i / n),
      [1, 3, 224, 224],
    );
    for (const name of CLASSIC_CNNS) {
      const session = await tfjs.createSession(lightModelPath(name), { device: 'wasm' });
      const out = Object.values(await session.run({ [session.inputs[0]!.name]: x }))[0]!;
      const expected = readTensorProto(readFileSync(lightExpectedOutputPath(name)));
      expect([...out.dims], name).toEqual(expected.dims);
      expect(maxAbsDifference(out.data as Float32Array, expected.data), name).toBeLessThan(1e-6);
      await session.dispose();
    }
  });

  it('re-weighted with seeded values, match onnxruntime-node', { timeout: 180_000 }, async () => {
    for (const name of CLASSIC_CNNS) {
      expect(
        await diffAgainstOrt(reweightedPath(name), imageLikeTensor([1, 3, 224, 224]), 'wasm'),
        name,
      ).toBeLessThanOrEqual(1e-4);
    }
  });
});
