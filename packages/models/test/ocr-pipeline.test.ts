import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, isPolyinferError } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node';
import type { OcrPipeline } from '@polyinfer/models';
import { createOcrPipeline, PPOCR_V4_DET } from '@polyinfer/models';

const samples = fileURLToPath(new URL('../samples/', import.meta.url));
const truth = JSON.parse(readFileSync(join(samples, 'ground-truth.json'), 'utf8')) as Record<string, string[]>;

function registry() {
  const r = createRegistry();
  registerOrtNodeBackend(r);
  return r;
}

describe('PP-OCRv4 pipeline on ort-node:cpu', () => {
  let ocr: OcrPipeline;
  beforeAll(async () => {
    ocr = await createOcrPipeline({ registry: registry(), backend: 'ort-node', devices: ['cpu'] });
  });
  afterAll(() => ocr.dispose());

  it('reports which backend and device each stage runs on', () => {
    expect(ocr.stages.det).toMatchObject({ model: 'ppocr-v4-det', backend: 'ort-node', device: 'cpu', skipped: [] });
    expect(ocr.stages.cls).toMatchObject({ model: 'ppocr-mobile-v2-cls', device: 'cpu' });
    expect(ocr.stages.rec).toMatchObject({ model: 'ppocr-v4-rec', device: 'cpu' });
  });

  // Rendered by `pnpm samples`: several fonts and sizes, a paragraph, a receipt, light on dark, a tilted page, a
  // page upside down. Every line must come out exactly as drawn, spaces and punctuation included.
  for (const [file, lines] of Object.entries(truth)) {
    it(`reads ${file} exactly`, async () => {
      const result = await ocr.run(join(samples, file));
      expect(result.lines.map((l) => l.text)).toEqual(lines);
      for (const line of result.lines) expect(line.confidence).toBeGreaterThan(0.8);
      if (file === 'upside-down.png') expect(result.lines.map((l) => l.angle)).toEqual([180, 180]);
    });
  }

  // Every upright sample turned over or onto its side: the lines come back in the order of the page as printed (not
  // bottom line first, not by column height).
  // (fonts.png is left out on its side: turned 90° the detector cuts "monospace: const total = 1024;" at its wide
  // gap into two boxes — a detection limit on sideways pages, the order of the pieces is right.)
  for (const file of ['fonts.png', 'paragraph.png', 'receipt.png', 'dark.png']) {
    for (const degrees of file === 'fonts.png' ? [180] : [90, 180, 270]) {
      it(`reads ${file} turned ${degrees}° in the upright page's order`, async () => {
        const turned = new Uint8Array(await sharp(join(samples, file)).rotate(degrees).png().toBuffer());
        const result = await ocr.run(turned);
        expect(result.lines.map((l) => l.text)).toEqual(truth[file]);
        if (degrees === 180) expect(result.lines.map((l) => l.angle)).toEqual(truth[file]?.map(() => 180));
      });
    }
  }

  // The page vote (the widest four lines classified first) must not decide a page whose lines disagree: here the
  // paragraph's first two lines are turned over in place, and every line must still be read.
  it('reads a page with some lines upside down line by line, the vote being split', async () => {
    const path = join(samples, 'paragraph.png');
    const band = await sharp(path).extract({ left: 0, top: 0, width: 760, height: 118 }).rotate(180).png().toBuffer();
    const mixed = new Uint8Array(
      await sharp(path)
        .composite([{ input: band, left: 0, top: 0 }])
        .png()
        .toBuffer(),
    );
    const result = await ocr.run(mixed);
    const lines = truth['paragraph.png']!;
    // The turned band reads bottom line first: its lines swapped places on the page.
    expect(result.lines.map((l) => l.text)).toEqual([lines[1], lines[0], ...lines.slice(2)]);
    expect(result.lines.map((l) => l.angle)).toEqual([180, 180, 0, 0, 0]);
  });

  it('gives boxes in image coordinates, and timings for every stage', async () => {
    const result = await ocr.run(join(samples, 'receipt.png'));
    expect([result.width, result.height]).toEqual([520, 560]);
    const line = result.lines.find((l) => l.text === 'TOTAL 10.95');
    // "TOTAL" is drawn at x = 40, baseline y = 340, 28 px bold monospace; "10.95" ends at x = 480 on that baseline.
    const [tl, , br] = line!.words[0]!.box;
    expect(line!.words.map((w) => w.text)).toEqual(['TOTAL', '10.95']);
    expect(tl[0]).toBeGreaterThan(30);
    expect(tl[0]).toBeLessThan(45);
    expect(tl[1]).toBeGreaterThan(305);
    expect(br[1]).toBeLessThan(352);
    // A word's box holds its letters: "TOTAL" is five 17-pixel monospace cells wide, not the line's width.
    expect(br[0] - tl[0]).toBeGreaterThan(70);
    expect(br[0] - tl[0]).toBeLessThan(110);
    expect(line!.box[1][0]).toBeGreaterThan(470);
    expect(line!.box[1][0]).toBeLessThan(495);
    for (const stage of [result.timings.detection, result.timings.classification, result.timings.recognition]) {
      expect(stage.inference).toBeGreaterThan(0);
    }
    expect(result.timings.total).toBeGreaterThanOrEqual(
      result.timings.detection.total + result.timings.recognition.total,
    );
  });

  it('finds nothing on a blank page', async () => {
    const blank = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    expect((await ocr.run(blank)).lines).toEqual([]);
  });

  it('names bad images with typed errors and keeps working afterwards', async () => {
    const missing = await ocr.run('/no/such/image.png').catch((e: unknown) => e);
    expect(isPolyinferError(missing, 'IMAGE_NOT_FOUND')).toBe(true);
    const junk = await ocr.run(new TextEncoder().encode('not an image')).catch((e: unknown) => e);
    expect(isPolyinferError(junk, 'IMAGE_DECODE_FAILED')).toBe(true);
    expect((await ocr.run(join(samples, 'dark.png'))).lines).toHaveLength(3);
  });
});

describe('OCR pipeline configuration', () => {
  it('runs without the angle classifier', async () => {
    const ocr = await createOcrPipeline({ registry: registry(), cls: false });
    expect(ocr.stages.cls).toBeUndefined();
    expect((await ocr.run(join(samples, 'fonts.png'))).lines.map((l) => l.text)).toEqual(truth['fonts.png']);
    await ocr.dispose();
    const error = await ocr.run(join(samples, 'fonts.png')).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'USE_AFTER_DISPOSE')).toBe(true);
  });

  it('falls back per stage and records why', async () => {
    const ocr = await createOcrPipeline({
      registry: registry(),
      devices: ['cuda', 'cpu'],
      rec: { devices: ['tensorrt', 'cpu'] },
    });
    expect(ocr.stages.det.skipped.map((s) => s.device)).toEqual(['cuda']);
    expect(ocr.stages.rec.skipped.map((s) => s.device)).toEqual(['tensorrt']);
    await ocr.dispose();
  });

  it('a corrupt model file fails with MODEL_LOAD_FAILED, and a tampered one with INTEGRITY_MISMATCH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocr-'));
    const path = join(dir, 'det.onnx');
    writeFileSync(path, 'definitely not onnx');
    const corrupt = { ...PPOCR_V4_DET, model: { source: { kind: 'path', path } } } as const;
    const loadError = await createOcrPipeline({ registry: registry(), det: { model: corrupt } }).catch(
      (e: unknown) => e,
    );
    expect(isPolyinferError(loadError, 'MODEL_LOAD_FAILED')).toBe(true);
    const tampered = {
      ...PPOCR_V4_DET,
      model: { source: { kind: 'path', path }, sha256: PPOCR_V4_DET.model.sha256 },
    } as const;
    const integrityError = await createOcrPipeline({ registry: registry(), det: { model: tampered } }).catch(
      (e: unknown) => e,
    );
    expect(isPolyinferError(integrityError, 'INTEGRITY_MISMATCH')).toBe(true);
  });
});
