import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { characterErrorRate, normaliseWhitespace } from '@polyinfer/bench-core';
import {
  DOCUMENT_SAMPLES_DIR,
  documentSampleGroundTruth,
  PPOCR_MOBILE_V2_CLS,
  PPOCR_V4_DET,
  PPOCR_V4_REC,
  sampleGroundTruth,
  SAMPLES_DIR,
} from '@polyinfer/models';
import type { ModelDescriptor } from '@polyinfer/models';
import type { Rig } from '../src/index.js';
import { startRig } from '../src/index.js';
import { describePageConformance, MINUTES, pageParity } from './page-checks.js';

// Chromium (Debian's, installed by .ci/run) with WebGPU on SwiftShader: correct but slow — the first run of a model
// on webgpu compiles its shaders for seconds, so these tests allow minutes.

let rig: Rig;
let page: Page;
beforeAll(async () => {
  rig = await startRig();
  page = await rig.newPage();
}, 2 * MINUTES);
afterAll(() => rig?.close());

describe('ort-web in Chromium', () => {
  it('runs wasm multi-threaded in a cross-origin isolated page, and sees a WebGPU adapter', async () => {
    const env = await page.evaluate(() => window.rig.environment());
    expect(env.crossOriginIsolated).toBe(true);
    expect(env.ortWeb).toEqual({ platform: 'browser', numThreads: 2 });
    expect(env.webgpu).not.toBeNull();
  });

  for (const device of ['wasm', 'webgpu']) describePageConformance(() => page, device, 'ort-web');

  // Max abs diff against onnxruntime-node CPU on the same image-like input; tolerance 1e-4 on probabilities
  // (wasm is seen at ~1e-6; SwiftShader's WebGPU at ~1e-5). Detection runs at 160×160 on webgpu to bound shader time.
  const cases: [ModelDescriptor, number[], string][] = [
    [PPOCR_V4_DET, [1, 3, 640, 640], 'wasm'],
    [PPOCR_V4_REC, [1, 3, 48, 320], 'wasm'],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192], 'wasm'],
    [PPOCR_V4_DET, [1, 3, 160, 160], 'webgpu'],
    [PPOCR_V4_REC, [1, 3, 48, 320], 'webgpu'],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192], 'webgpu'],
  ];
  for (const [model, dims, device] of cases) {
    it(
      `${model.id} ${dims.join('×')} on ${device} matches ort-node within 1e-4`,
      { timeout: 3 * MINUTES },
      async () => {
        expect(await pageParity(page, model, dims, device, 'ort-web')).toBeLessThanOrEqual(1e-4);
      },
    );
  }

  it('reads a sample image in the page with the same text as ort-node', { timeout: 3 * MINUTES }, async () => {
    const result = await page.evaluate(() => window.rig.ocr('/samples/receipt.png', ['wasm']));
    expect(result.lines).toEqual(sampleGroundTruth()['receipt.png']);
    expect(result.stages.det).toMatchObject({ backend: 'ort-web', device: 'wasm' });
  });

  it(
    'reads a two-page PDF in the page (pdf.js with its worker) and writes a searchable PDF that pdftotext reads back',
    { timeout: 5 * MINUTES },
    async () => {
      // Made by Debian's img2pdf, an outside writer: one picture per page.
      const scan = execFileSync('img2pdf', [
        join(SAMPLES_DIR, 'receipt.png'),
        join(DOCUMENT_SAMPLES_DIR, 'columns.png'),
      ]);
      const result = await page.evaluate((pdf) => window.rig.ocrPdf(pdf, ['wasm']), scan.toString('base64'));
      expect(result.pages).toEqual([
        { page: 1, lines: sampleGroundTruth()['receipt.png'], hasTextLayer: false },
        { page: 2, lines: documentSampleGroundTruth()['columns.png'], hasTextLayer: false },
      ]);
      const back = execFileSync('pdftotext', ['-raw', '-', '-'], {
        input: Buffer.from(result.searchablePdf, 'base64'),
        encoding: 'utf8',
      });
      const expected = [...sampleGroundTruth()['receipt.png']!, ...documentSampleGroundTruth()['columns.png']!].join(
        ' ',
      );
      expect(characterErrorRate(normaliseWhitespace(back), normaliseWhitespace(expected)), back).toBeLessThanOrEqual(
        0.02,
      );
    },
  );

  it(
    'webnn: where this Chromium exposes navigator.ml the probe model opens and runs, elsewhere it is unavailable naming navigator.ml',
    { timeout: 3 * MINUTES },
    async () => {
      const hasWebnn = await page.evaluate(() => 'ml' in navigator);
      const probe = await page.evaluate(() => window.rig.probe('webnn'));
      if (hasWebnn) expect(probe).toEqual({ available: true });
      else
        expect(probe).toEqual({
          available: false,
          reason: expect.stringMatching(/^this browser exposes no WebNN \(navigator\.ml is absent\)/),
        });
    },
  );

  it("create → run → dispose 100 times does not grow the page's memory", { timeout: 5 * MINUTES }, async () => {
    const { before, after } = await page.evaluate(() =>
      window.rig.disposeLoop('/models/ch_ppocr_mobile_v2.0_cls_infer.onnx', [1, 3, 48, 192], 'wasm', 100),
    );
    expect(Number.isFinite(before) && Number.isFinite(after)).toBe(true);
    // The cls model is 0.6 MB and its session holds a few MB: 100 leaked sessions would add hundreds of MB.
    expect(after - before).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('ort-web in a Chromium started without WebGPU', () => {
  let plain: Rig;
  let plainPage: Page;
  beforeAll(async () => {
    plain = await startRig({ webgpu: false });
    plainPage = await plain.newPage();
  }, 2 * MINUTES);
  afterAll(() => plain?.close());

  it('reports webgpu unavailable with the reason, and a ["webgpu", "wasm"] chain runs on wasm saying why', async () => {
    const probe = await plainPage.evaluate(() => window.rig.probe('webgpu'));
    expect(probe.available).toBe(false);
    expect((probe as { reason: string }).reason).toMatch(/WebGPU/);
    const result = await plainPage.evaluate(() => window.rig.ocr('/samples/dark.png', ['webgpu', 'wasm']));
    expect(result.lines).toEqual(sampleGroundTruth()['dark.png']);
    expect(result.stages.det.device).toBe('wasm');
    expect(result.stages.det.skipped[0]).toMatchObject({ backend: 'ort-web', device: 'webgpu' });
    expect(result.stages.det.skipped[0]?.reason).toMatch(/WebGPU/);
  });
});
