import { describe, expect, it } from 'vitest';
import type { Backend } from '@polyinfer/core';
import { imageLikeTensor, maxAbsDifference } from '@polyinfer/core/testing';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { createOrtWebBackend, registerOrtWebBackend } from '@polyinfer/backend-ort-web';
import type { ModelDescriptor } from '@polyinfer/models';
import {
  createOcrPipeline,
  PPOCR_MOBILE_V2_CLS,
  PPOCR_V4_DET,
  PPOCR_V4_REC,
  resolveModelFile,
  sampleGroundTruth,
  SAMPLES_DIR,
} from '@polyinfer/models';
import { createRegistry } from '@polyinfer/core';

async function maxAbsDiff(
  model: ModelDescriptor,
  dims: number[],
  a: Backend,
  b: Backend,
  deviceA: string,
  deviceB: string,
): Promise<number> {
  const path = await resolveModelFile(model.model);
  const [sa, sb] = await Promise.all([
    a.createSession(path, { device: deviceA }),
    b.createSession(path, { device: deviceB }),
  ]);
  const x = imageLikeTensor(dims);
  const [oa, ob] = [await sa.run({ x }), await sb.run({ x })];
  await Promise.all([sa.dispose(), sb.dispose()]);
  return Math.max(
    ...Object.keys(oa).map((name) => maxAbsDifference(oa[name]!.data as Float32Array, ob[name]!.data as Float32Array)),
  );
}

describe('ort-web wasm matches ort-node cpu (Node)', () => {
  // Tolerance 1e-4 on probabilities; seen here ≈ 1e-6.
  for (const [model, dims] of [
    [PPOCR_V4_DET, [1, 3, 320, 320]],
    [PPOCR_V4_REC, [1, 3, 48, 320]],
    [PPOCR_MOBILE_V2_CLS, [1, 3, 48, 192]],
  ] as const) {
    it(`${model.id} ${dims.join('×')}: max abs diff ≤ 1e-4`, async () => {
      const diff = await maxAbsDiff(
        model,
        [...dims],
        await createOrtNodeBackend(),
        await createOrtWebBackend(),
        'cpu',
        'wasm',
      );
      expect(diff).toBeLessThanOrEqual(1e-4);
    });
  }

  it('the OCR pipeline on ort-web wasm reads every sample as ort-node does', async () => {
    const registry = createRegistry();
    registerOrtWebBackend(registry);
    const ocr = await createOcrPipeline({ registry, backend: 'ort-web', devices: ['wasm'] });
    expect(ocr.stages.rec).toMatchObject({ backend: 'ort-web', device: 'wasm' });
    for (const [file, lines] of Object.entries(sampleGroundTruth())) {
      expect((await ocr.run(`${SAMPLES_DIR}${file}`)).lines.map((l) => l.text)).toEqual(lines);
    }
    await ocr.dispose();
  });
});
