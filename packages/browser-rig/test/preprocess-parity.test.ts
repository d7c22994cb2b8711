import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
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
const detection = new DetectionPreprocessor({
  limitSideLen: DET.limitSideLen ?? 960,
  limitType: 'max',
  multiple: DET.multiple ?? 32,
  normalize: DET,
  inputName: 'x',
});
const maxAbsDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
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
  {
    image: 'tilted.png',
    quad: [
      { x: 60, y: 80 },
      { x: 480, y: 40 },
      { x: 484, y: 84 },
      { x: 64, y: 124 },
    ],
    width: 460,
  },
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
      const fromPage = await page.evaluate(
        ([url, q, w]) =>
          (
            window as unknown as { rig: { preprocess(u: string, q: Quad, w: number): Promise<PagePreprocess> } }
          ).rig.preprocess(url, q, w),
        [`/samples/${image}`, quad, width] as const,
      );
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
      const size = limitSideSize(decoded.width, decoded.height, {
        limitSideLen: DET.limitSideLen ?? 960,
        limitType: 'max',
        multiple: DET.multiple ?? 32,
      });
      const bySharp = imageToTensor(await resizeImage(decoded, size.width, size.height), DET);
      expect(maxAbsDiff(bySharp.data as Float32Array, detData)).toBeLessThanOrEqual(
        (4 / 255 / Math.min(...(DET.std ?? [1]))) * 1.0001,
      );
    });
  }
});

/** 48×24 RGBA: colour blocks, alpha falling from opaque on the left to clear on the right. */
async function pixels(): Promise<Sharp> {
  const [width, height] = [48, 24];
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      data[p] = (Math.floor(x / 8) * 97) % 256;
      data[p + 1] = (Math.floor(y / 8) * 151 + 40) % 256;
      data[p + 2] = (Math.floor(x / 8) * 31 + Math.floor(y / 8) * 67) % 256;
      data[p + 3] = 255 - Math.round((x / (width - 1)) * 255);
    }
  return sharp(data, { raw: { width, height, channels: 4 } });
}

type PageDecoded =
  { width: number; height: number; base64: string } | { error: { name: string; code?: string; message: string } };
/** Decodes the images in the page, all at once. */
const decodeAllInPage = (...images: Buffer[]): Promise<PageDecoded[]> =>
  page.evaluate(
    (b64s) => (window as unknown as { rig: { decode(...b: string[]): Promise<PageDecoded[]> } }).rig.decode(...b64s),
    images.map((bytes) => bytes.toString('base64')),
  );
const decodeInPage = async (bytes: Buffer): Promise<PageDecoded> => (await decodeAllInPage(bytes))[0] as PageDecoded;
const maxByteDiff = (a: Uint8Array, b: Uint8Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

describe('image decoding in Chromium and in Node', () => {
  // PNG, WebP and GIF take ImageDecoder's way in Chromium, JPEG the canvas' way; both must give Node's upright pixels.
  const CASES: { name: string; encode: (image: Sharp) => Sharp; tolerance: number; size: [number, number] }[] = [
    { name: 'a PNG with alpha, flattened onto white', encode: (i) => i.png(), tolerance: 1, size: [48, 24] },
    {
      name: 'a PNG stored turned (EXIF orientation 6)',
      encode: (i) => i.flatten({ background: '#ffffff' }).png().withMetadata({ orientation: 6 }),
      tolerance: 1,
      size: [24, 48],
    },
    { name: 'a lossless WebP with alpha', encode: (i) => i.webp({ lossless: true }), tolerance: 1, size: [48, 24] },
    { name: 'a GIF', encode: (i) => i.flatten({ background: '#ffffff' }).gif(), tolerance: 1, size: [48, 24] },
    {
      name: 'a JPEG stored turned (EXIF orientation 6)',
      encode: (i) => i.flatten({ background: '#ffffff' }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }),
      tolerance: 12,
      size: [24, 48],
    },
  ];
  for (const { name, encode, tolerance, size } of CASES) {
    it(`gives Node's pixels for ${name}`, { timeout: 2 * MINUTES }, async () => {
      const bytes = await encode(await pixels()).toBuffer();
      const inNode = await decodeImage(new Uint8Array(bytes));
      const inPage = await decodeInPage(bytes);
      if ('error' in inPage) throw new Error(`the page could not decode it: ${inPage.error.message}`);
      expect([inPage.width, inPage.height]).toEqual(size);
      expect([inNode.width, inNode.height]).toEqual(size);
      const fromPage = new Uint8Array(Buffer.from(inPage.base64, 'base64'));
      expect(maxByteDiff(fromPage, inNode.data)).toBeLessThanOrEqual(tolerance);
      // The check can fail: the same pixels a row further down differ by far more.
      expect(maxByteDiff(fromPage.subarray(size[0] * 3 * 8), inNode.data)).toBeGreaterThan(40);
    });
  }

  it('decodes several images at once, each to its own pixels', { timeout: 2 * MINUTES }, async () => {
    // Different sizes and content, decoded concurrently: kept arrays must not pass from one decode to another.
    const variants = [
      (i: Sharp) => i,
      (i: Sharp) => i.flip(),
      (i: Sharp) => i.flop(),
      (i: Sharp) => i.negate({ alpha: false }),
      (i: Sharp) => i.rotate(180),
    ];
    const images = await Promise.all([
      ...variants.map(async (variant) =>
        variant(await pixels())
          .png()
          .toBuffer(),
      ),
      ...variants.map(async (variant) =>
        variant(await pixels())
          .webp({ lossless: true })
          .toBuffer(),
      ),
      (await pixels()).resize(96, 40).png().toBuffer(),
    ]);
    const inPage = await decodeAllInPage(...images);
    for (const [i, bytes] of images.entries()) {
      const decoded = inPage[i] as PageDecoded;
      if ('error' in decoded) throw new Error(`image ${i}: ${decoded.error.message}`);
      const inNode = await decodeImage(new Uint8Array(bytes));
      expect([decoded.width, decoded.height], `image ${i}`).toEqual([inNode.width, inNode.height]);
      expect(
        maxByteDiff(new Uint8Array(Buffer.from(decoded.base64, 'base64')), inNode.data),
        `image ${i}`,
      ).toBeLessThanOrEqual(1);
    }
  });

  it('names bytes it cannot read, also when they begin as a PNG', { timeout: 2 * MINUTES }, async () => {
    const png = await (await pixels()).png().toBuffer();
    for (const bytes of [
      Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]),
      Buffer.from('not an image at all'),
    ]) {
      const inPage = await decodeInPage(bytes);
      if (!('error' in inPage)) throw new Error('the page decoded bytes that are no image');
      // The name survives the page's minified bundle.
      expect([inPage.error.name, inPage.error.code]).toEqual(['ImageDecodeError', 'IMAGE_DECODE_FAILED']);
    }
  });
});
