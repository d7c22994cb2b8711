import { afterAll, describe, expect, it } from 'vitest';
import { buildOnnxModel, createRegistry } from '@polyinfer/core';
import { conformanceModels } from '@polyinfer/core/testing';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node';
import type { MeanColourClassifierSpec } from '@polyinfer/model-fixtures';
import { buildMeanColourClassifier } from '@polyinfer/model-fixtures';
import type { RgbImage } from '@polyinfer/preprocess';
import type { ClassificationConfig, ClassificationPipeline } from '@polyinfer/models/classification';
import { createClassificationPipeline, IMAGENET_NORMALIZE } from '@polyinfer/models/classification';

const registry = createRegistry();
registerOrtNodeBackend(registry);
const opened: ClassificationPipeline[] = [];
afterAll(async () => Promise.all(opened.map((p) => p.dispose())));

async function open(
  spec: MeanColourClassifierSpec,
  config: Partial<ClassificationConfig> = {},
): Promise<ClassificationPipeline> {
  const pipeline = await createClassificationPipeline({
    model: buildMeanColourClassifier(spec),
    registry,
    backend: 'ort-node',
    devices: ['cpu'],
    labels: ['red', 'green', 'blue'],
    ...config,
  });
  opened.push(pipeline);
  return pipeline;
}

/** Vertical bands of colour, left to right, each `width` pixels wide. */
function bands(height: number, ...parts: [width: number, rgb: [number, number, number]][]): RgbImage {
  const width = parts.reduce((sum, [w]) => sum + w, 0);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    let x = 0;
    for (const [w, rgb] of parts) for (let i = 0; i < w; i++, x++) data.set(rgb, (y * width + x) * 3);
  }
  return { data, width, height };
}

/** The probabilities a mean-colour classifier gives a uniform colour after ImageNet normalisation, by hand. */
function expectedFor(rgb: [number, number, number], sharpness = 1): number[] {
  const logits = rgb.map(
    (v, c) => ((v / 255 - (IMAGENET_NORMALIZE.mean[c] as number)) / (IMAGENET_NORMALIZE.std[c] as number)) * sharpness,
  );
  const exps = logits.map((l) => Math.exp(l - Math.max(...logits)));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

describe('image classification with the model the user brings', () => {
  it('normalises as ImageNet models expect and softmaxes logits: the exact probabilities of a uniform colour', async () => {
    const classifier = await open({});
    const colour: [number, number, number] = [200, 40, 90];
    const result = await classifier.run(bands(50, [70, colour]));
    const [red, green, blue] = expectedFor(colour);
    // Not saturated: the runner-up keeps a visible share.
    expect(blue).toBeGreaterThan(0.01);
    expect(result.classes.map((c) => c.label)).toEqual(['red', 'blue', 'green']);
    expect(result.classes.map((c) => c.score)).toEqual([red, blue, green].map((p) => expect.closeTo(p as number, 4)));
    expect(result).toMatchObject({ width: 70, height: 50 });
  });

  it('crop keeps the centre (a blue middle between red and green edges); stretch sees all three bands', async () => {
    const image = bands(200, [100, [255, 0, 0]], [200, [0, 0, 255]], [100, [0, 255, 0]]);
    const cropped = await (await open({})).run(image);
    const [, , blueOnly] = expectedFor([0, 0, 255]);
    expect(cropped.classes[0]).toEqual({ index: 2, label: 'blue', score: expect.closeTo(blueOnly as number, 3) });
    const stretched = await (await open({}, { resize: 'stretch' })).run(image);
    expect(stretched.classes[0]?.label).toBe('blue');
    expect(stretched.classes[0]?.score).toBeLessThan((blueOnly as number) - 0.2);
  });

  it('reads a channels-last (NHWC) input the same as NCHW', async () => {
    const image = bands(40, [40, [30, 160, 60]]);
    const nchw = await (await open({})).run(image);
    const nhwc = await (await open({ layout: 'nhwc' })).run(image);
    expect((await open({ layout: 'nhwc' })).inputSize).toEqual({ width: 32, height: 32, layout: 'nhwc' });
    expect(nhwc.classes).toEqual(nchw.classes.map((c) => ({ ...c, score: expect.closeTo(c.score, 5) })));
  });

  it('a model ending in Softmax is read as probabilities, not softmaxed twice (which would flatten them)', async () => {
    const colour: [number, number, number] = [40, 200, 60];
    const auto = await (await open({ softmax: true, sharpness: 2 })).run(bands(32, [32, colour]));
    const [, green] = expectedFor(colour, 2);
    expect(auto.classes[0]).toEqual({ index: 1, label: 'green', score: expect.closeTo(green as number, 4) });
    const twice = await (
      await open({ softmax: true, sharpness: 2 }, { output: 'logits' })
    ).run(bands(32, [32, colour]));
    expect(twice.classes[0]?.score).toBeLessThan((green as number) - 0.2);
  });

  it('top k, labels, and typed errors for a bad config or a model that is no image classifier', async () => {
    const top1 = await (await open({}, { topK: 1, labels: undefined })).run(bands(8, [8, [0, 0, 250]]));
    expect(top1.classes).toEqual([{ index: 2, label: '2', score: expect.any(Number) }]);
    await expect(open({}, { topK: 0 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(open({}, { cropRatio: 1.5 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const twoInputs = createClassificationPipeline({
      model: buildOnnxModel(conformanceModels.add),
      registry,
      backend: 'ort-node',
    });
    await expect(twoInputs).rejects.toThrow(
      /an image classifier takes one float32 image input, \[1, 3, H, W\] or \[1, H, W, 3\]; this one takes a: float32 \[2, 3\], b: float32 \[2, 3\]/,
    );
  });
});
