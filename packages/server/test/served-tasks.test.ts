import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMeanColourClassifier, buildYoloBoxFinder } from '@polyinfer/model-fixtures';
import type { RunningServer } from '@polyinfer/server';
import { loadServedModels, serve } from '@polyinfer/server';
import { createRegistry } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';

function ortNodeRegistry() {
  const registry = createRegistry();
  registerOrtNodeBackend(registry);
  return registry;
}

const dir = mkdtempSync(join(tmpdir(), 'served-tasks-'));
const detector = join(dir, 'boxes.onnx');
const classifier = join(dir, 'colours.onnx');
let server: RunningServer;
let png: Buffer;

beforeAll(async () => {
  // A detector that finds the red rectangle, plus a planted car box (letterbox of 1280 × 720: scale 0.5, 140 px on top).
  writeFileSync(
    detector,
    buildYoloBoxFinder({
      format: 'yolov8',
      classes: 80,
      found: { classId: 0, score: 0.9 },
      planted: [{ box: [400, 240, 500, 340], classId: 2, score: 0.8 }],
    }),
  );
  const pixels = Buffer.alloc(1280 * 720 * 3, 30);
  for (let y = 100; y < 340; y++) for (let x = 200; x < 520; x++) pixels.set([255, 0, 0], (y * 1280 + x) * 3);
  png = await sharp(pixels, { raw: { width: 1280, height: 720, channels: 3 } })
    .png()
    .toBuffer();
  writeFileSync(classifier, buildMeanColourClassifier({ size: 32 }));
  server = await serve({
    models: await loadServedModels({
      registry: ortNodeRegistry(),
      specs: [`boxes=detect:${detector}`, `colours=classify:${classifier}`],
    }),
    httpPort: 0,
    grpcPort: 0,
    metricsPort: 0,
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A v2 request with the encoded image as binary data, JSON outputs back. */
async function inferImage(model: string, image: Uint8Array): Promise<Response> {
  const header = new TextEncoder().encode(
    JSON.stringify({
      inputs: [
        { name: 'image', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: image.byteLength + 4 } },
      ],
    }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(image.byteLength);
  return fetch(`${server.http.url}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.byteLength),
    },
    body: Buffer.concat([header, length, image]),
  });
}

describe('a detector served as one v2 model (--model NAME=detect:path.onnx)', () => {
  it('says what it takes and gives: image BYTES [1] in; boxes FP32 [n, 4], scores FP32 [n], classes INT32 [n] out', async () => {
    const metadata = await (await fetch(`${server.http.url}/v2/models/boxes`)).json();
    expect(metadata).toMatchObject({
      name: 'boxes',
      platform: 'polyinfer_detection_pipeline',
      inputs: [{ name: 'image', datatype: 'BYTES', shape: [1] }],
      outputs: [
        { name: 'boxes', datatype: 'FP32', shape: [-1, 4] },
        { name: 'scores', datatype: 'FP32', shape: [-1] },
        { name: 'classes', datatype: 'INT32', shape: [-1] },
      ],
    });
  });

  it('answers with the boxes in image pixels, best first', async () => {
    const response = await inferImage('boxes', png);
    expect(response.status).toBe(200);
    const { outputs } = (await response.json()) as {
      outputs: { name: string; datatype: string; shape: number[]; data: number[] }[];
    };
    const [boxes, scores, classes] = outputs;
    expect(boxes).toMatchObject({ name: 'boxes', datatype: 'FP32', shape: [2, 4] });
    expect(boxes!.data.map(Math.round)).toEqual([200, 100, 520, 340, 800, 200, 1000, 400]);
    expect(scores!.data).toEqual([expect.closeTo(0.9, 5), expect.closeTo(0.8, 5)]);
    expect(classes).toMatchObject({ datatype: 'INT32', shape: [2], data: [0, 2] });
  });

  it('refuses what is not an image before it queues, and keeps serving', async () => {
    const bad = await inferImage('boxes', new TextEncoder().encode('GIF89a\u0001\u0000'));
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([
      400,
      'input "image" of model boxes is GIF; it takes PNG, JPEG or WebP',
    ]);
    expect((await inferImage('boxes', png)).status).toBe(200);
  });

  it('names a task spec that cannot open', async () => {
    const registry = ortNodeRegistry();
    await expect(loadServedModels({ registry, specs: ['d=detect'] })).rejects.toThrow(
      'the detect task needs the model file: d=detect:path/to/model.onnx',
    );
    await expect(loadServedModels({ registry, specs: [`o=ocr:${detector}`] })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
    await expect(loadServedModels({ registry, specs: ['x'] })).rejects.toThrow(/tasks: ocr, detect, classify/);
  });
});

describe('a classifier served as one v2 model (--model NAME=classify:path.onnx)', () => {
  it('answers with the top classes: probabilities FP32 [k] and indices INT32 [k], best first', async () => {
    const response = await inferImage('colours', png);
    expect(response.status).toBe(200);
    const { outputs } = (await response.json()) as {
      outputs: { name: string; datatype: string; shape: number[]; data: number[] }[];
    };
    const [scores, classes] = outputs;
    // Dark grey with a red block: red's mean is highest after ImageNet normalisation; three classes in all.
    expect(classes).toMatchObject({ name: 'classes', datatype: 'INT32', shape: [3], data: [0, 2, 1] });
    expect(scores!.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(scores!.data[0]).toBeLessThan(0.9);
  });
});
