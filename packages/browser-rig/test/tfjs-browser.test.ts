import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { conformanceChecks, imageLikeTensor, maxAbsDifference } from '@polyinfer/core/testing';
import type { ConformanceResult } from '@polyinfer/core/testing';
import { PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_REC, resolveModelFile, sampleGroundTruth } from '@polyinfer/models';
import type { ModelDescriptor } from '@polyinfer/models';
import type { Rig } from '../src/index.js';
import { floatsOfBase64, startRig } from '../src/index.js';

// tfjs in Chromium: wasm, WebGL and WebGPU (both on SwiftShader here: correct, slow), running the same ONNX files
// through polyinfer's importer.
const MINUTES = 60_000;

let rig: Rig;
let page: Page;
beforeAll(async () => {
  rig = await startRig();
  page = await rig.newPage();
}, 2 * MINUTES);
afterAll(() => rig?.close());

const fileName = (m: ModelDescriptor): string => (m.model.source as { path: string }).path.split('/').pop() as string;

describe('tfjs in Chromium', () => {
  for (const device of ['wasm', 'webgl', 'webgpu', 'cpu']) {
    describe(`conformance on ${device}`, () => {
      let results: ConformanceResult[];
      beforeAll(async () => {
        results = await page.evaluate((d) => window.rig.conformance(d, 'tfjs'), device);
      }, 3 * MINUTES);
      for (const check of conformanceChecks) {
        it(check.name, () => {
          const result = results.find((r) => r.name === check.name);
          expect(result?.error ?? '').toBe('');
          expect(result?.ok).toBe(true);
        });
      }
    });
  }

  // Max abs diff against onnxruntime-node CPU; seen here ≤ 3e-6. Detection at 160×160 on the GPU devices.
  const cases: [ModelDescriptor, number[], string][] = [
    [PPOCR_V4_DET, [1, 3, 640, 640], 'wasm'],
    [PPOCR_V4_REC, [1, 3, 48, 320], 'wasm'],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192], 'wasm'],
    [PPOCR_V4_DET, [1, 3, 160, 160], 'webgl'],
    [PPOCR_V4_REC, [1, 3, 48, 320], 'webgl'],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192], 'webgl'],
    [PPOCR_V4_DET, [1, 3, 160, 160], 'webgpu'],
    [PPOCR_V4_REC, [1, 3, 48, 320], 'webgpu'],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192], 'webgpu'],
  ];
  for (const [model, dims, device] of cases) {
    it(`${model.id} ${dims.join('×')} on ${device} matches ort-node within 1e-4`, { timeout: 3 * MINUTES }, async () => {
      const session = await (await createOrtNodeBackend()).createSession(await resolveModelFile(model.model), { device: 'cpu' });
      const reference = Object.values(await session.run({ x: imageLikeTensor(dims) }))[0]?.data as Float32Array;
      await session.dispose();
      const got = await page.evaluate(([url, d, dev]) => window.rig.runModel(url as string, d as number[], dev as string, 'tfjs'), [`/models/${fileName(model)}`, dims, device] as const);
      expect(maxAbsDifference(floatsOfBase64(Object.values(got.outputs)[0]?.base64 ?? ''), reference)).toBeLessThanOrEqual(1e-4);
    });
  }

  for (const device of ['wasm', 'webgl', 'webgpu']) {
    it(`reads a sample in the page on tfjs ${device} with the same text as ort-node`, { timeout: 8 * MINUTES }, async () => {
      const result = await page.evaluate((d) => window.rig.ocr('/samples/dark.png', [d], 'tfjs'), device);
      expect(result.lines).toEqual(sampleGroundTruth()['dark.png']);
      expect(result.stages.rec).toMatchObject({ backend: 'tfjs', device });
    });
  }
});
