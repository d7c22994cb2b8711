import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_REC, sampleGroundTruth } from '@polyinfer/models';
import type { ModelDescriptor } from '@polyinfer/models';
import type { Rig } from '../src/index.js';
import { startRig } from '../src/index.js';
import { describePageConformance, MINUTES, pageParity } from './page-checks.js';

// tfjs in Chromium: wasm, WebGL and WebGPU (both on SwiftShader here: correct, slow), running the same ONNX files
// through polyinfer's importer.

let rig: Rig;
let page: Page;
beforeAll(async () => {
  rig = await startRig();
  page = await rig.newPage();
}, 2 * MINUTES);
afterAll(() => rig?.close());

describe('tfjs in Chromium', () => {
  for (const device of ['wasm', 'webgl', 'webgpu', 'cpu']) describePageConformance(() => page, device, 'tfjs');

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
    it(
      `${model.id} ${dims.join('×')} on ${device} matches ort-node within 1e-4`,
      { timeout: 3 * MINUTES },
      async () => {
        expect(await pageParity(page, model, dims, device, 'tfjs')).toBeLessThanOrEqual(1e-4);
      },
    );
  }

  for (const device of ['wasm', 'webgl', 'webgpu']) {
    it(
      `reads a sample in the page on tfjs ${device} with the same text as ort-node`,
      { timeout: 8 * MINUTES },
      async () => {
        const result = await page.evaluate((d) => window.rig.ocr('/samples/dark.png', [d], 'tfjs'), device);
        expect(result.lines).toEqual(sampleGroundTruth()['dark.png']);
        expect(result.stages.rec).toMatchObject({ backend: 'tfjs', device });
      },
    );
  }
});
