import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polyinfer-detect-'));
const model = join(dir, 'yolov8-box-finder.onnx');
const labels = join(dir, 'coco.txt');
const photo = join(dir, 'street.png');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// COCO's first classes (80 lines; the rest are named after their ids): the labels file a user passes.
const COCO_START = ['person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck'];
const RED_RECT = [200, 100, 520, 340];
/** Image pixels of a 1280 × 720 image → input pixels of its 640 × 640 letterbox (scale 0.5, 140 px of grey on top). */
const toInput = (b: number[]): number[] => [b[0]! / 2, b[1]! / 2 + 140, b[2]! / 2, b[3]! / 2 + 140];

beforeAll(async () => {
  // The model is written by ONNX's own Python package (Debian's python3-onnx), not by polyinfer.
  const planted = [
    { box: toInput([800, 200, 1000, 400]), classId: 2, score: 0.8 },
    { box: toInput([810, 210, 1010, 410]), classId: 2, score: 0.6 }, // IoU 0.82 with the car above: suppressed
    { box: toInput([805, 205, 1005, 405]), classId: 7, score: 0.7 }, // over the car, another class: kept
    { box: toInput([40, 40, 140, 240]), classId: 0, score: 0.3 },
    { box: toInput([600, 500, 700, 600]), classId: 3, score: 0.1 }, // under the threshold
  ];
  execFileSync('/usr/bin/python3', [
    fileURLToPath(new URL('./fixtures/write_yolov8_box_finder.py', import.meta.url)),
    model,
    JSON.stringify(planted),
  ]);
  writeFileSync(labels, [...COCO_START, ...Array.from({ length: 72 }, (_, i) => `class${i + 8}`)].join('\n') + '\n');
  const pixels = Buffer.alloc(1280 * 720 * 3, 30);
  for (let y = RED_RECT[1]!; y < RED_RECT[3]!; y++)
    for (let x = RED_RECT[0]!; x < RED_RECT[2]!; x++) pixels.set([255, 0, 0], (y * 1280 + x) * 3);
  await sharp(pixels, { raw: { width: 1280, height: 720, channels: 3 } })
    .png()
    .toFile(photo);
}, 120_000);

const EXPECTED = [
  { box: RED_RECT, score: 0.9, classId: 0, label: 'person' },
  { box: [800, 200, 1000, 400], score: 0.8, classId: 2, label: 'car' },
  { box: [805, 205, 1005, 405], score: 0.7, classId: 7, label: 'truck' },
  { box: [40, 40, 140, 240], score: 0.3, classId: 0, label: 'person' },
];

describe('polyinfer detect', () => {
  for (const [backend, device] of [
    ['ort-node', 'cpu'],
    ['ort-web', 'wasm'],
    ['tfjs', 'wasm'],
  ] as const) {
    it(
      `a YOLOv8-layout model [1, 84, 8400] written by onnx's Python tools: boxes in image pixels after letterbox inversion and per-class NMS, on ${backend}:${device}`,
      { timeout: 120_000 },
      async () => {
        const { code, out, err } = await cli(
          'detect',
          '--model',
          model,
          '--labels',
          labels,
          '--json',
          '--backend',
          backend,
          '--device',
          device,
          photo,
        );
        expect(err).toBe('');
        expect(code).toBe(0);
        const result = JSON.parse(out) as {
          image: string;
          width: number;
          height: number;
          backend: string;
          detections: { box: number[]; score: number; classId: number; label: string }[];
        };
        expect(result).toMatchObject({ image: photo, width: 1280, height: 720, backend, device });
        expect(result.detections.map((d) => ({ ...d, box: d.box.map(Math.round) }))).toEqual(
          EXPECTED.map((e) => ({ ...e, score: expect.closeTo(e.score, 4) })),
        );
      },
    );
  }

  it(
    'with --workers, pipelines in worker threads give the same detections, in input order',
    { timeout: 120_000 },
    async () => {
      const { code, out } = await cli(
        'detect',
        '--model',
        model,
        '--labels',
        labels,
        '--json',
        '--workers',
        '2',
        photo,
        photo,
      );
      expect(code).toBe(0);
      const results = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { backend: string; detections: { box: number[]; score: number }[] });
      expect(results).toHaveLength(2);
      for (const r of results) {
        expect(r.backend).toBe('ort-node');
        expect(r.detections.map((d) => ({ ...d, box: d.box.map(Math.round) }))).toEqual(
          EXPECTED.map((e) => ({ ...e, score: expect.closeTo(e.score, 4) })),
        );
      }
      expect(await cli('detect', '--model', model, '--workers', '2', '--backend', 'tfjs', photo)).toMatchObject({
        code: 2,
        err: expect.stringContaining('--workers takes a whole number of threads, 1 or more, and runs on ort-node'),
      });
    },
  );

  it('class-agnostic NMS and a score threshold from the command line; text output names labels and the backend', async () => {
    const { code, out } = await cli(
      'detect',
      '--model',
      model,
      '--labels',
      labels,
      '--class-agnostic',
      '--score-threshold',
      '0.5',
      photo,
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /street\.png \(1280×720, 2 detections\)\n {2}0\.900 {2}person {7}\[200\.0, 100\.0, 520\.0, 340\.0\]\n {2}0\.800 {2}car/,
    );
    expect(out).toMatch(/ort-node:cpu — total/);
  });

  it('a bad image is reported and the others still run; bad options and a missing model are named', async () => {
    const { code, out, err } = await cli('detect', '--model', model, '--json', '/no/such.png', photo);
    expect(code).toBe(1);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({
      image: '/no/such.png',
      error: { code: 'IMAGE_NOT_FOUND', message: 'Image file not found: /no/such.png' },
    });
    expect((lines[1]!.detections as unknown[]).length).toBe(4);
    expect(err).toContain('/no/such.png');
    expect(await cli('detect', '--model', model, '--iou-threshold', 'high', photo)).toMatchObject({
      code: 2,
      err: expect.stringContaining('--iou-threshold takes a number; got "high"'),
    });
    expect(await cli('detect', '--model', model, '--format', 'yolov9', photo)).toMatchObject({
      code: 2,
      err: expect.stringContaining('format is auto, yolov8, yolov5, end2end; got "yolov9"'),
    });
    expect((await cli('detect', '--model', join(dir, 'none.onnx'), photo)).code).toBe(2);
  });
});
