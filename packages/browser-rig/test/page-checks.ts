import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { conformanceChecks, imageLikeTensor, maxAbsDifference } from '@polyinfer/core/testing';
import type { ConformanceResult } from '@polyinfer/core/testing';
import { resolveModelFile } from '@polyinfer/models';
import type { ModelDescriptor } from '@polyinfer/models';
import { floatsOfBase64 } from '../src/index.js';

export const MINUTES = 60_000;

/** The conformance checks run inside the page, one test per check. */
export function describePageConformance(page: () => Page, device: string, backend: string): void {
  describe(`conformance on ${backend}:${device}`, () => {
    let results: ConformanceResult[];
    beforeAll(async () => {
      results = await page().evaluate(([d, b]) => window.rig.conformance(d, b), [device, backend] as const);
    }, 3 * MINUTES);
    for (const check of conformanceChecks) {
      it(check.name, () => {
        const result = results.find((r) => r.name === check.name);
        expect(result, 'the check ran in the page').toBeDefined();
        expect(result?.error ?? '').toBe('');
        expect(result?.ok).toBe(true);
      });
    }
  });
}

const fileName = (m: ModelDescriptor): string => (m.model.source as { path: string }).path.split('/').pop() as string;

/** Max abs diff between the page's outputs and onnxruntime-node CPU's on the same image-like input. */
export async function pageParity(
  page: Page,
  model: ModelDescriptor,
  dims: number[],
  device: string,
  backend: string,
): Promise<number> {
  const session = await (
    await createOrtNodeBackend()
  ).createSession(await resolveModelFile(model.model), { device: 'cpu' });
  const reference = Object.values(await session.run({ x: imageLikeTensor(dims) })).map((t) => t.data as Float32Array);
  await session.dispose();
  const got = await page.evaluate(
    ([url, d, dev, b]) => window.rig.runModel(url as string, d as number[], dev as string, b as string),
    [`/models/${fileName(model)}`, dims, device, backend] as const,
  );
  const outputs = Object.values(got.outputs).map((o) => floatsOfBase64(o.base64));
  expect(outputs).toHaveLength(reference.length);
  return Math.max(...outputs.map((o, i) => maxAbsDifference(o, reference[i] as Float32Array)));
}
