import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMeanColourClassifier } from '@polyinfer/model-fixtures';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'polyinfer-classify-'));
const model = join(dir, 'colours.onnx');
const labels = join(dir, 'labels.txt');
const teal = join(dir, 'teal.png');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  writeFileSync(model, buildMeanColourClassifier({ size: 32 }));
  writeFileSync(labels, 'red\ngreen\nblue\n');
  await sharp({ create: { width: 90, height: 60, channels: 3, background: { r: 20, g: 150, b: 140 } } })
    .png()
    .toFile(teal);
});

/** Softmax of the ImageNet-normalised channel means of a uniform colour: what the classifier must answer. */
function expected(rgb: number[], mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225]): number[] {
  const logits = rgb.map((v, c) => (v / 255 - mean[c]!) / std[c]!);
  const exps = logits.map((l) => Math.exp(l));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

describe('polyinfer classify', () => {
  for (const [backend, device] of [
    ['ort-node', 'cpu'],
    ['ort-web', 'wasm'],
    ['tfjs', 'wasm'],
  ] as const) {
    it(
      `prints the top classes with labels and probabilities on ${backend}:${device}`,
      { timeout: 120_000 },
      async () => {
        const { code, out, err } = await cli(
          'classify',
          '--model',
          model,
          '--labels',
          labels,
          '--json',
          '--top-k',
          '2',
          '--backend',
          backend,
          '--device',
          device,
          teal,
        );
        expect([code, err]).toEqual([0, '']);
        const [, green, blue] = expected([20, 150, 140]);
        expect(JSON.parse(out)).toEqual({
          image: teal,
          backend,
          device,
          classes: [
            { index: 2, label: 'blue', score: expect.closeTo(blue!, 4) },
            { index: 1, label: 'green', score: expect.closeTo(green!, 4) },
          ],
        });
      },
    );
  }

  it('takes its own normalisation, and names bad options', async () => {
    const { out } = await cli(
      'classify',
      '--model',
      model,
      '--json',
      '--mean',
      '0.5,0.5,0.5',
      '--std',
      '0.5,0.5,0.5',
      teal,
    );
    const scores = (JSON.parse(out) as { classes: { index: number; score: number }[] }).classes;
    const probabilities = expected([20, 150, 140], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
    for (const c of scores) expect(c.score).toBeCloseTo(probabilities[c.index]!, 4);
    expect(await cli('classify', '--model', model, '--mean', '0.5,0.5', teal)).toMatchObject({
      code: 2,
      err: 'polyinfer: --mean takes three numbers, R,G,B; got "0.5,0.5"\n',
    });
    expect(await cli('classify', '--model', model, '--top-k', 'all', teal)).toMatchObject({
      code: 2,
      err: 'polyinfer: --top-k takes a whole number; got "all"\n',
    });
  });
});
