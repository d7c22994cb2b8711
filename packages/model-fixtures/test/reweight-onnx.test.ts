import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { imageLikeTensor } from '@polyinfer/core/testing';
import {
  CLASSIC_CNNS,
  lightExpectedOutputPath,
  lightModelPath,
  outputSpread,
  readTensorProto,
  reweightedPath,
} from '@polyinfer/model-fixtures';
import { Tensor } from '@polyinfer/core';

// Five 224×224 CNNs in one test: seconds on an idle machine, over a minute beside the conformance suite's workers.
const FIVE_CNNS_TIMEOUT_MS = 5 * 60_000;

describe('onnx-light CNNs', () => {
  it(
    'the originals reproduce their stored expected outputs on ort-node (x[i] = i / n)',
    async () => {
      const backend = await createOrtNodeBackend();
      for (const name of CLASSIC_CNNS) {
        const session = await backend.createSession(lightModelPath(name), { device: 'cpu' });
        const n = 3 * 224 * 224;
        const x = new Tensor(
          'float32',
          Float32Array.from({ length: n }, (_, i) => i / n),
          [1, 3, 224, 224],
        );
        const out = Object.values(await session.run({ [session.inputs[0]!.name]: x }))[0]!;
        const expected = readTensorProto(readFileSync(lightExpectedOutputPath(name)));
        expect([...out.dims]).toEqual(expected.dims);
        const got = out.data as Float32Array;
        expect(Math.max(...got.map((v, i) => Math.abs(v - expected.data[i]!)))).toBeLessThan(1e-6);
        await session.dispose();
      }
    },
    FIVE_CNNS_TIMEOUT_MS,
  );

  it(
    're-weighted copies give finite, non-uniform outputs (so parity checks mean something)',
    async () => {
      const backend = await createOrtNodeBackend();
      for (const name of CLASSIC_CNNS) {
        const session = await backend.createSession(reweightedPath(name), { device: 'cpu' });
        const out = Object.values(
          await session.run({ [session.inputs[0]!.name]: imageLikeTensor([1, 3, 224, 224]) }),
        )[0]!.data as Float32Array;
        expect(out.every(Number.isFinite), `${name} outputs are finite`).toBe(true);
        expect(Math.max(...out) - Math.min(...out), `${name} outputs vary`).toBeGreaterThan(1e-4);
        // Not saturated to one-hot (ResNet50 and ShuffleNet were, before residual branches and the head started small).
        expect(outputSpread(out), name).toMatchObject({ saturated: false });
        await session.dispose();
      }
    },
    FIVE_CNNS_TIMEOUT_MS,
  );

  it('the spread guard fails a one-hot output and a near-one-hot one, and passes a spread one', () => {
    const oneHot = new Float32Array(1000);
    oneHot[7] = 1;
    expect(outputSpread(oneHot)).toEqual({ top: 1, classes: 1, saturated: true });
    const peaked = Float32Array.from({ length: 1000 }, (_, i) => (i === 3 ? 0.95 : 0.05 / 999));
    expect(outputSpread(peaked).saturated).toBe(true);
    expect(outputSpread(new Float32Array(1000).fill(0.001)).saturated).toBe(false);
  });
});
