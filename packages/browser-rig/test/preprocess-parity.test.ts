import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Tensor } from '@polyinfer/core';
import { DetectionPreprocessor, PPOCR_V4_DET, PPOCR_V4_REC, SAMPLES_DIR } from '@polyinfer/models';
import { decodeImage, imageToTensor, limitSideSize, resizeImage, warpQuad } from '@polyinfer/preprocess';
import type { Quad } from '@polyinfer/preprocess';
import type { Rig } from '../src/index.js';
import { floatsOfBase64, startRig } from '../src/index.js';
import { MINUTES } from './page-checks.js';

// The browser decodes with its own codecs and Node with sharp; from there on the OCR pipeline's preprocessing is the
// same code in both (polyinfer's resize and perspective crop), so a rendered PNG gives the detector and the recognizer
// the same tensors. Canvas and sharp resample differently: before, a line could read differently in the two.

interface PagePreprocess {
  det: { dims: number[]; base64: string };
  detByCanvas: string;
  line: { dims: number[]; base64: string };
}

const DET = PPOCR_V4_DET.preprocessing;
const detection = new DetectionPreprocessor({ limitSideLen: DET.limitSideLen ?? 960, limitType: 'max', multiple: DET.multiple ?? 32, normalize: DET, inputName: 'x' });
const maxAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
const box = (left: number, top: number, width: number, height: number): Quad => [
  { x: left, y: top },
  { x: left + width, y: top },
  { x: left + width, y: top + height },
  { x: left, y: top + height },
];

// A line of each image (as the detector finds it, give or take), the crop scaled to the recognizer's 48 px height.
const CASES: { image: string; quad: Quad; width: number }[] = [
  { image: 'receipt.png', quad: box(150, 74, 224, 38), width: 283 },
  { image: 'fonts.png', quad: box(28, 96, 520, 44), width: 567 },
  { image: 'tilted.png', quad: [{ x: 60, y: 80 }, { x: 480, y: 40 }, { x: 484, y: 84 }, { x: 64, y: 124 }], width: 460 },
];

let rig: Rig;
let page: Page;
beforeAll(async () => {
  rig = await startRig({ webgpu: false });
  page = await rig.newPage();
}, 2 * MINUTES);
afterAll(() => rig?.close());

describe('OCR preprocessing in Chromium and in Node', () => {
  for (const { image, quad, width } of CASES) {
    it(`gives the same detection input and line crop for ${image}`, { timeout: 2 * MINUTES }, async () => {
      const fromPage = await page.evaluate(([url, q, w]) => (window as unknown as { rig: { preprocess(u: string, q: Quad, w: number): Promise<PagePreprocess> } }).rig.preprocess(url, q, w), [`/samples/${image}`, quad, width] as const);
      const decoded = await decodeImage(join(SAMPLES_DIR, image));
      const det = (await detection.process(decoded)).feeds.x as Tensor;
      const line = imageToTensor(warpQuad(decoded, quad, width, 48), PPOCR_V4_REC.preprocessing);

      expect(fromPage.det.dims).toEqual([...det.dims]);
      expect(fromPage.line.dims).toEqual([...line.dims]);
      // Tensors with signal: dark text on a light page spans most of the normalised range.
      const detData = det.data as Float32Array;
      const [low, high] = detData.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
      expect(high - low).toBeGreaterThan(3);
      expect(maxAbsDiff(floatsOfBase64(fromPage.det.base64), detData)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(floatsOfBase64(fromPage.line.base64), line.data as Float32Array)).toBeLessThanOrEqual(1e-6);

      // The check can fail: the canvas' resampling (what the page used before) gives another detection input.
      expect(maxAbsDiff(floatsOfBase64(fromPage.detByCanvas), detData)).toBeGreaterThan(0.1);
      // And polyinfer's resize follows sharp's linear resize (Node's before) to within rounding (a few levels of 255):
      // figures measured through sharp still hold.
      const size = limitSideSize(decoded.width, decoded.height, { limitSideLen: DET.limitSideLen ?? 960, limitType: 'max', multiple: DET.multiple ?? 32 });
      const bySharp = imageToTensor(await resizeImage(decoded, size.width, size.height), DET);
      expect(maxAbsDiff(bySharp.data as Float32Array, detData)).toBeLessThanOrEqual((4 / 255 / Math.min(...(DET.std ?? [1]))) * 1.0001);
    });
  }
});
