import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry, isPolyinferError, Tensor } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { createMockBackend } from '@polyinfer/core/testing';
import { simplifyModel } from '@polyinfer/optimize';
import {
  createOcrPipeline,
  CTC_GREEDY_OUTPUT,
  DetectionPreprocessor,
  loadDictionary,
  PPOCR_V4_DET,
  PPOCR_V4_REC,
  resolveModelFile,
  spaceClassOf,
  TextLinePreprocessor,
} from '@polyinfer/models';
import { decodeImage } from '@polyinfer/preprocess';
import { resolveOcrVariant } from '../src/ocr/ocr-model-variants.js';

const samples = fileURLToPath(new URL('../samples/', import.meta.url));
const truth = JSON.parse(readFileSync(join(samples, 'ground-truth.json'), 'utf8')) as Record<string, string[]>;
const cacheDir = mkdtempSync(join(tmpdir(), 'polyinfer-variants-'));
afterAll(() => rm(cacheDir, { recursive: true, force: true }));

function registry() {
  const r = createRegistry();
  registerOrtNodeBackend(r);
  return r;
}

async function run(model: Uint8Array | string, feeds: Record<string, Tensor>): Promise<Float32Array> {
  const session = await registry().createSession(model, { backend: 'ort-node', devices: ['cpu'] });
  try {
    return Object.values(await session.run(feeds))[0]!.data as Float32Array;
  } finally {
    await session.dispose();
  }
}

describe('OCR model variants', () => {
  it('the simplified PP-OCRv4 files compute what the shipped ones do, on a real page and a real line', async () => {
    const det = await resolveModelFile(PPOCR_V4_DET.model);
    const image = await decodeImage(join(samples, 'paragraph.png'));
    const { feeds } = await new DetectionPreprocessor({
      limitSideLen: 960,
      limitType: 'max',
      multiple: 32,
      normalize: PPOCR_V4_DET.preprocessing,
      inputName: 'x',
    }).process(image);
    const [map, simplifiedMap] = [await run(det, feeds), await run(simplifyModel(readFileSync(det)).model, feeds)];
    // A detection map of real text: confident text and background both present.
    expect(map.reduce((a, b) => Math.max(a, b))).toBeGreaterThan(0.9);
    expect(map.reduce((a, b) => Math.min(a, b))).toBeLessThan(0.1);
    let worst = 0;
    for (let i = 0; i < map.length; i++) worst = Math.max(worst, Math.abs(map[i]! - simplifiedMap[i]!));
    expect(worst).toBeLessThan(1e-4);

    const rec = await resolveModelFile(PPOCR_V4_REC.model);
    // The paragraph's first line, cut from the detection input (already normalised) at rows 16..64 and 320 columns.
    const x = feeds.x!;
    const [, , h, w] = x.dims as number[];
    const line = new Float32Array(3 * 48 * 320);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 48; y++)
        for (let col = 0; col < 320; col++)
          line[c * 48 * 320 + y * 320 + col] = (x.data as Float32Array)[c * h! * w! + (16 + y) * w! + col]!;
    const lineFeeds = { x: new Tensor('float32', line, [1, 3, 48, 320]) };
    const [logits, simplifiedLogits] = [
      await run(rec, lineFeeds),
      await run(simplifyModel(readFileSync(rec)).model, lineFeeds),
    ];
    expect(
      logits.reduce((a, b) => Math.max(a, b)),
      'some class is confident',
    ).toBeGreaterThan(0.5);
    worst = 0;
    for (let i = 0; i < logits.length; i++) worst = Math.max(worst, Math.abs(logits[i]! - simplifiedLogits[i]!));
    expect(worst).toBeLessThan(1e-4);
  });

  it(
    'int8: detection and recognition quantised once into the cache, and every sample still read exactly',
    { timeout: 600_000 },
    async () => {
      const config = {
        registry: registry(),
        backend: 'ort-node',
        devices: ['cpu'],
        modelVariant: 'int8',
        resolve: { cacheDir },
      } as const;
      const ocr = await createOcrPipeline(config);
      const variants = readdirSync(join(cacheDir, 'variants'));
      // Recognition ends in the greedy CTC head (see the next test).
      expect(variants.filter((f) => /\.int8(-ctc)?\./.test(f)).sort()).toEqual([
        expect.stringMatching(/^ch_PP-OCRv4_det_infer\.int8\./),
        expect.stringMatching(/^ch_PP-OCRv4_rec_infer\.int8-ctc\./),
      ]);
      const written = new Map(variants.map((f) => [f, statSync(join(cacheDir, 'variants', f)).mtimeMs]));
      try {
        for (const [file, lines] of Object.entries(truth))
          expect(
            (await ocr.run(join(samples, file))).lines.map((l) => l.text),
            file,
          ).toEqual(lines);
      } finally {
        await ocr.dispose();
      }
      // A second pipeline reads the cached files: nothing is written again.
      const again = await createOcrPipeline(config);
      await again.dispose();
      for (const [f, mtime] of written) expect(statSync(join(cacheDir, 'variants', f)).mtimeMs, f).toBe(mtime);
    },
  );

  it('the prepared recogniser ends in a greedy CTC head: per step the argmax of the shipped model, its probability and that of the space', async () => {
    const ocr = await createOcrPipeline({
      registry: registry(),
      backend: 'ort-node',
      devices: ['cpu'],
      modelVariant: 'simplified',
      resolve: { cacheDir },
    });
    await ocr.dispose();
    const file = readdirSync(join(cacheDir, 'variants')).find((f) =>
      f.startsWith('ch_PP-OCRv4_rec_infer.simplified-ctc.'),
    );
    expect(file).toBeDefined();
    // A real line: the first line of the paragraph sample, as the pipeline crops it.
    const image = await decodeImage(join(samples, 'paragraph.png'));
    const line = new TextLinePreprocessor({ height: 48, normalize: PPOCR_V4_REC.preprocessing, inputName: 'x' });
    const { feeds } = line.process({
      image,
      lines: [
        {
          quad: [
            { x: 0, y: 12 },
            { x: 420, y: 12 },
            { x: 420, y: 52 },
            { x: 0, y: 52 },
          ],
          aspect: 420 / 40,
        },
      ],
    });
    const session = await registry().createSession(join(cacheDir, 'variants', file!), {
      backend: 'ort-node',
      devices: ['cpu'],
    });
    let head: Tensor;
    try {
      expect(session.outputs.map((o) => o.name)).toEqual([CTC_GREEDY_OUTPUT]);
      head = (await session.run(feeds))[CTC_GREEDY_OUTPUT]!;
    } finally {
      await session.dispose();
    }
    const probs = await run(await resolveModelFile(PPOCR_V4_REC.model), feeds);
    const classes = 6625;
    const steps = probs.length / classes;
    expect(head.dims).toEqual([1, steps, 3]);
    const dictionary = await loadDictionary(await resolveModelFile(PPOCR_V4_REC.assets!.dictionary!));
    const space = spaceClassOf(dictionary);
    const best: number[] = [];
    for (let t = 0; t < steps; t++) {
      const row = probs.subarray(t * classes, (t + 1) * classes);
      let k = 0;
      for (let c = 1; c < classes; c++) if (row[c]! > row[k]!) k = c;
      best.push(k);
      const at = t * 3;
      const data = head.data as Float32Array;
      expect(data[at + 1]!, `step ${t}`).toBeCloseTo(row[k]!, 4);
      expect(data[at + 2]!, `step ${t}`).toBeCloseTo(row[space]!, 4);
    }
    expect(Array.from(head.data as Float32Array).filter((_, i) => i % 3 === 0)).toEqual(best);
    // Real text: several distinct characters, not a line of blanks.
    expect(new Set(best.filter((k) => k !== 0)).size).toBeGreaterThan(5);
  });

  it('auto: from what the backends declare — int8 where every stage runs on integer kernels, the shipped files for a backend that opens models by name, simplified elsewhere', async () => {
    const r = registry();
    // Two backends known only by their capabilities: the decision must not depend on names.
    const caps = { options: [], backendOptions: [], runPolicy: 'concurrent', dtypes: ['float32'] } as const;
    r.register(
      'gpu-runtime',
      () =>
        createMockBackend({
          name: 'gpu-runtime',
          devices: [{ name: 'gpu' }, { name: 'cpu' }],
          defaultDevices: ['gpu', 'cpu'],
          capabilities: { ...caps, int8Devices: ['cpu'] },
        }),
      { priority: -1 },
    );
    r.register(
      'elsewhere',
      () =>
        createMockBackend({
          name: 'elsewhere',
          devices: [{ name: 'http' }],
          capabilities: { ...caps, opensModelsByName: true },
        }),
      { priority: -2 },
    );
    expect(await resolveOcrVariant({ registry: r })).toBe('int8'); // ort-node first, on the CPU
    expect(await resolveOcrVariant({ registry: r, backend: 'ort-node', devices: ['cpu'] })).toBe('int8');
    expect(await resolveOcrVariant({ registry: r, backend: 'ort-node', devices: ['cuda', 'cpu'] })).toBe('simplified');
    expect(await resolveOcrVariant({ registry: r, backend: 'gpu-runtime' })).toBe('simplified');
    expect(await resolveOcrVariant({ registry: r, backend: 'gpu-runtime', devices: ['cpu'] })).toBe('int8');
    expect(await resolveOcrVariant({ registry: r, rec: { backend: 'elsewhere', devices: ['http'] } })).toBe('original');
    expect(await resolveOcrVariant({ registry: r, backend: 'gpu-runtime', modelVariant: 'original' })).toBe('original');
  });

  it('an unknown variant is a typed configuration error', async () => {
    const error = await createOcrPipeline({
      registry: registry(),
      modelVariant: 'fp8' as never,
      resolve: { cacheDir },
    }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toMatch(/"fp8".*auto, original, simplified, int8/);
  });
});
