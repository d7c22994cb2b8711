import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMeanColourClassifier, buildYoloBoxFinder } from '@polyinfer/model-fixtures';
import { reportProblems, runBenchCli } from '../src/bench-cli.js';
import type { BenchReport } from '../src/bench-cli.js';

const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'bench-tasks-'));
const images = join(dir, 'images');
const detector = join(dir, 'box-finder.onnx');
const classifier = join(dir, 'colours.onnx');

/** A dark PNG with one pure red rectangle: what the box finder looks for. */
async function writePng(
  path: string,
  width: number,
  height: number,
  rect: [number, number, number, number],
): Promise<void> {
  const pixels = Buffer.alloc(width * height * 3, 30);
  for (let y = rect[1]; y < rect[3]; y++)
    for (let x = rect[0]; x < rect[2]; x++) pixels.set([255, 0, 0], (y * width + x) * 3);
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
}

let detect: BenchReport;
beforeAll(async () => {
  mkdirSync(images);
  await writePng(join(images, 'wide.png'), 1280, 720, [200, 100, 520, 340]);
  await writePng(join(images, 'tall.png'), 480, 900, [60, 450, 420, 810]);
  writeFileSync(
    detector,
    buildYoloBoxFinder({
      format: 'yolov8',
      classes: 80,
      found: { classId: 0, score: 0.9 },
      planted: [{ box: [400, 240, 500, 340], classId: 2, score: 0.8 }],
    }),
  );
  writeFileSync(classifier, buildMeanColourClassifier({ size: 32 }));
  const out = join(dir, 'detect');
  const code = await runBenchCli(
    [
      '--quick',
      '--task',
      'detect',
      '--model',
      detector,
      '--images',
      images,
      '--out',
      out,
      '--scenario',
      'single-stream',
      '--backends',
      'ort-node:cpu,ort-web:wasm@node,tfjs:wasm@node,ort-web:wasm@chromium',
    ],
    { out: () => undefined, err: () => undefined },
  );
  expect(code).toBe(0);
  detect = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as BenchReport;
}, 10 * MINUTE);

describe('polyinfer bench --task', () => {
  it('detect: the pipeline around the user model on every target, Node and Chromium, each agreeing with the reference', () => {
    expect(reportProblems(detect)).toEqual([]);
    const cells = detect.cells;
    expect(cells.map((c) => `${c.backend}:${c.device}@${c.environment} ${c.status}`).sort()).toEqual([
      'ort-node:cpu@node ok',
      'ort-web:wasm@chromium ok',
      'ort-web:wasm@node ok',
      'tfjs:wasm@node ok',
    ]);
    for (const c of cells) {
      expect(c.steady?.p50).toBeGreaterThan(0);
      if (c.device === 'cpu' && c.backend === 'ort-node') continue;
      expect(c.parity).toMatchObject({ reference: expect.stringContaining('ort-node-cpu-node'), pass: true });
    }
    // What was compared carries signal: the red box found where each image has it, in its own pixels.
    const reference = cells.find((c) => c.backend === 'ort-node')?.summaries as Record<
      string,
      { box: number[]; classId: number }[]
    >;
    expect(reference['wide.png']?.[0]?.box.map(Math.round)).toEqual([200, 100, 520, 340]);
    expect(reference['tall.png']?.[0]?.box.map((v) => Math.round(v / 10) * 10)).toEqual([60, 450, 420, 810]);
  });

  it(
    'classify: a classifier benchmarked the same way; a task with no model, or the bundled OCR task, is refused by name',
    { timeout: 5 * MINUTE },
    async () => {
      const out = join(dir, 'classify');
      const code = await runBenchCli(
        [
          '--quick',
          '--task',
          'classify',
          '--model',
          classifier,
          '--images',
          images,
          '--out',
          out,
          '--scenario',
          'single-stream',
          '--backends',
          'ort-node:cpu,tfjs:wasm@node',
          '--no-browser',
        ],
        { out: () => undefined, err: () => undefined },
      );
      expect(code).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as BenchReport;
      const tfjs = report.cells.find((c) => c.backend === 'tfjs');
      expect(tfjs).toMatchObject({ status: 'ok', parity: { pass: true } });
      let err = '';
      expect(
        await runBenchCli(['--task', 'classify', '--out', out], { out: () => undefined, err: (t) => (err += t) }),
      ).toBe(2);
      expect(err).toContain('--task classify benchmarks your model: give it with --model');
      err = '';
      expect(
        await runBenchCli(['--task', 'ocr', '--model', classifier, '--out', out], {
          out: () => undefined,
          err: (t) => (err += t),
        }),
      ).toBe(2);
      expect(err).toContain('--task ocr runs the bundled models');
    },
  );
});
