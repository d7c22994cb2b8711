import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@polyinfer/core';
import { createRegistry, isPolyinferError } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node';
import type { PlantedBox, YoloBoxFinderSpec } from '@polyinfer/model-fixtures';
import { buildYoloBoxFinder } from '@polyinfer/model-fixtures';
import type { RgbImage } from '@polyinfer/preprocess';
import type { DetectionFormat, DetectionPipeline } from '@polyinfer/models/detection';
import {
  createDetectionPipeline,
  detectionFormatOf,
  intersectionOverUnion,
  Letterbox,
  nonMaxSuppression,
  unletterbox,
} from '@polyinfer/models/detection';

const registry = createRegistry();
registerOrtNodeBackend(registry);
const opened: DetectionPipeline[] = [];
afterAll(async () => Promise.all(opened.map((p) => p.dispose())));

/** A dark image with one pure red rectangle (x1, y1, x2, y2 exclusive) — what the box finder looks for. */
function imageWithRect(
  width: number,
  height: number,
  rect: readonly [number, number, number, number],
  colour: readonly [number, number, number] = [255, 0, 0],
): RgbImage {
  const data = new Uint8Array(width * height * 3).fill(30);
  for (let y = rect[1]; y < rect[3]; y++) for (let x = rect[0]; x < rect[2]; x++) data.set(colour, (y * width + x) * 3);
  return { data, width, height };
}

async function open(
  spec: YoloBoxFinderSpec,
  options: Partial<Parameters<typeof createDetectionPipeline>[0]> = {},
): Promise<DetectionPipeline> {
  const pipeline = await createDetectionPipeline({
    model: buildYoloBoxFinder(spec),
    registry,
    backend: 'ort-node',
    devices: ['cpu'],
    ...options,
  });
  opened.push(pipeline);
  return pipeline;
}

// In input pixels of a 640 × 640 letterbox of a 1280 × 720 image: scale 0.5, 140 px of grey above and below.
const toInput = (b: readonly number[]): [number, number, number, number] => [
  b[0]! / 2,
  b[1]! / 2 + 140,
  b[2]! / 2,
  b[3]! / 2 + 140,
];
const PLANTED: PlantedBox[] = [
  // Same class as one another, IoU 0.82: the lower goes.
  { box: toInput([800, 200, 1000, 400]), classId: 2, score: 0.8 },
  { box: toInput([810, 210, 1010, 410]), classId: 2, score: 0.6 },
  // Over the first, but another class: stays unless class-agnostic.
  { box: toInput([805, 205, 1005, 405]), classId: 5, score: 0.7 },
  // Below the score threshold.
  { box: toInput([100, 500, 300, 700]), classId: 1, score: 0.2 },
];
const RED_RECT = [200, 100, 520, 340] as const;

describe('object detection with a YOLO-layout model', () => {
  for (const format of ['yolov8', 'yolov5', 'end2end'] as const) {
    it(`${format}: finds the red box in original pixels after letterbox inversion, and suppresses per class`, async () => {
      const detector = await open(
        { format, classes: 6, found: { classId: 0, score: 0.9 }, planted: PLANTED },
        { labels: ['person', 'bicycle', 'car', 'moto', 'plane', 'bus'] },
      );
      const result = await detector.run(imageWithRect(1280, 720, RED_RECT));
      expect(result).toMatchObject({ width: 1280, height: 720 });
      const found = result.detections.map((d) => ({ ...d, box: d.box.map((v) => Math.round(v)) }));
      // End-to-end models did their suppression inside: every row above the threshold stays.
      const expected = [
        { box: [...RED_RECT], score: 0.9, classId: 0, label: 'person' },
        { box: [800, 200, 1000, 400], score: 0.8, classId: 2, label: 'car' },
        { box: [805, 205, 1005, 405], score: 0.7, classId: 5, label: 'bus' },
        ...(format === 'end2end' ? [{ box: [810, 210, 1010, 410], score: 0.6, classId: 2, label: 'car' }] : []),
      ];
      expect(found).toEqual(expected.map((e) => ({ ...e, score: expect.closeTo(e.score, 5) })));
    });
  }

  it('reads a rectangle exactly where the image put it (a non-square, portrait image; edges within a pixel of input)', async () => {
    const detector = await open({ format: 'yolov8', classes: 3, found: { classId: 1, score: 0.95 }, planted: [] });
    // 480 × 900 → scale 640/900, image 341 px wide centred with 149 px of grey to its left.
    const result = await detector.run(imageWithRect(480, 900, [60, 450, 420, 810]));
    expect(result.detections).toHaveLength(1);
    const box = result.detections[0]!.box;
    const perPixel = 900 / 640;
    [60, 450, 420, 810].forEach((edge, i) => expect(Math.abs(box[i]! - edge)).toBeLessThanOrEqual(1.5 * perPixel));
  });

  it('a wrong input order fails: a blue rectangle is not the red one the model looks for', async () => {
    const detector = await open({ format: 'yolov8', classes: 3, found: { classId: 1, score: 0.95 }, planted: [] });
    const result = await detector.run(imageWithRect(1280, 720, RED_RECT, [0, 0, 255]));
    const box = result.detections[0]?.box ?? [0, 0, 0, 0];
    expect(intersectionOverUnion(box, [...RED_RECT])).toBeLessThan(0.5);
  });

  it('class-agnostic suppression drops the other-class box over a better one; the thresholds and cap apply', async () => {
    const spec: YoloBoxFinderSpec = {
      format: 'yolov8',
      classes: 6,
      found: { classId: 0, score: 0.9 },
      planted: PLANTED,
    };
    const agnostic = await (await open(spec, { classAgnostic: true })).run(imageWithRect(1280, 720, RED_RECT));
    expect(agnostic.detections.map((d) => d.classId)).toEqual([0, 2]);
    const strict = await (await open(spec, { scoreThreshold: 0.75 })).run(imageWithRect(1280, 720, RED_RECT));
    expect(strict.detections.map((d) => d.score)).toEqual([expect.closeTo(0.9, 5), expect.closeTo(0.8, 5)]);
    const capped = await (
      await open(spec, { maxDetections: 1, scoreThreshold: 0.1 })
    ).run(imageWithRect(1280, 720, RED_RECT));
    expect(capped.detections).toHaveLength(1);
    const loose = await (await open(spec, { iouThreshold: 0.9 })).run(imageWithRect(1280, 720, RED_RECT));
    expect(loose.detections.map((d) => d.score)).toEqual([0.9, 0.8, 0.7, 0.6].map((s) => expect.closeTo(s, 5)));
  });

  it('a model with a dynamic input size is letterboxed to inputSize', async () => {
    const detector = await open(
      { format: 'yolov8', classes: 2, found: { classId: 1, score: 0.5 }, planted: [], dynamicSize: true },
      { inputSize: 640 },
    );
    expect(detector.inputSize).toEqual({ width: 640, height: 640 });
    const result = await detector.run(imageWithRect(1280, 720, RED_RECT));
    expect(result.detections.map((d) => d.box.map(Math.round))).toEqual([[...RED_RECT]]);
  });

  it('names what is wrong: a format the output does not fit, thresholds out of range, a model that is no detector', async () => {
    const detector = await open(
      { format: 'yolov8', classes: 3, found: { classId: 0, score: 0.9 }, planted: [] },
      { format: 'end2end' },
    );
    await expect(detector.run(imageWithRect(64, 64, [0, 0, 8, 8]))).rejects.toMatchObject({
      code: 'MODEL_OUTPUT_MISMATCH',
    });
    await expect(
      open({ format: 'yolov8', classes: 3, found: { classId: 0, score: 0.9 } }, { iouThreshold: 1.5 }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(
      open(
        { format: 'yolov8', classes: 3, found: { classId: 0, score: 0.9 } },
        { format: 'yolo9000' as DetectionFormat },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const error = await detector.run(new Uint8Array([1, 2, 3])).catch((e: unknown) => e);
    expect(isPolyinferError(error) && error.code).toBe('IMAGE_DECODE_FAILED');
  });
});

describe('detection memory', () => {
  it(
    '1,000 runs do not grow memory (each makes a 192 KiB input tensor: a leak would add ~190 MB)',
    { timeout: 120_000 },
    async () => {
      const detector = await open({
        format: 'yolov8',
        classes: 3,
        found: { classId: 0, score: 0.9 },
        planted: [],
        width: 128,
        height: 128,
      });
      const image = imageWithRect(256, 160, [20, 20, 80, 60]);
      const runs = async (n: number): Promise<void> => {
        for (let i = 0; i < n; i++) await detector.run(image);
      };
      const settle = (): NodeJS.MemoryUsage => {
        (globalThis as { gc?: () => void }).gc?.();
        return process.memoryUsage();
      };
      await runs(300);
      const before = settle();
      await runs(1000);
      const after = settle();
      expect(after.rss - before.rss).toBeLessThan(40 * 1024 * 1024);
      expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(40 * 1024 * 1024);
    },
  );
});

describe('detection pieces', () => {
  it('detectionFormatOf reads the layout from the shape', () => {
    expect(detectionFormatOf([1, 84, 8400])).toBe('yolov8');
    expect(detectionFormatOf([1, 25200, 85])).toBe('yolov5');
    expect(detectionFormatOf([1, 300, 6])).toBe('end2end');
    expect(() => detectionFormatOf([84, 8400])).toThrow(/\[1, 4\+C, N\]/);
  });

  it('NMS keeps the best of overlapping same-class boxes, in score order, ties in input order', () => {
    const boxes = [
      { box: [0, 0, 10, 10] as const, score: 0.5, classId: 0 },
      { box: [1, 1, 11, 11] as const, score: 0.9, classId: 0 },
      { box: [20, 20, 30, 30] as const, score: 0.5, classId: 0 },
      { box: [1, 1, 11, 11] as const, score: 0.7, classId: 1 },
    ];
    expect(
      nonMaxSuppression(boxes, { iouThreshold: 0.45, maxDetections: 10, classAgnostic: false }).map((b) => b.score),
    ).toEqual([0.9, 0.7, 0.5]);
    expect(nonMaxSuppression(boxes, { iouThreshold: 0.45, maxDetections: 10, classAgnostic: false })[2]!.box).toEqual([
      20, 20, 30, 30,
    ]);
    expect(
      nonMaxSuppression(boxes, { iouThreshold: 0.45, maxDetections: 10, classAgnostic: true }).map((b) => b.score),
    ).toEqual([0.9, 0.5]);
  });

  it('letterbox places, pads with 114 grey, and inverts', () => {
    const letterbox = new Letterbox(8, 8);
    const image: RgbImage = { data: new Uint8Array(4 * 2 * 3).fill(255), width: 4, height: 2 };
    const placement = letterbox.place(image);
    expect(placement).toMatchObject({ scaleX: 2, scaleY: 2, left: 0, top: 2 });
    const tensor: Tensor<'float32'> = letterbox.toTensor(image, placement);
    expect(tensor.dims).toEqual([1, 3, 8, 8]);
    expect(tensor.data[0]).toBeCloseTo(114 / 255, 6);
    expect(tensor.data[2 * 8]).toBeCloseTo(1, 6);
    expect(unletterbox([0, 2, 8, 6], placement)).toEqual([0, 0, 4, 2]);
    expect(unletterbox([-5, -5, 100, 100], placement)).toEqual([0, 0, 4, 2]);
  });
});
