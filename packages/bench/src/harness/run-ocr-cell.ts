import { basename } from 'node:path';
import type { BackendRegistry } from '@polyinfer/core';
import { inputSetSettings, runScenarios } from '@polyinfer/core/bench';
import { createOcrPipeline } from '@polyinfer/models';
import type { CellResult, CellSpec } from './cell.js';
import { cpuPerRun } from './cpu-per-run.js';

/** The whole OCR pipeline, one image per timed sample (cycling through the folder); text kept for parity. */
export async function runOcrCell(spec: CellSpec, registry: BackendRegistry): Promise<Omit<CellResult, 'wallMs'>> {
  if (spec.model.kind !== 'ocr') throw new Error('runOcrCell needs the OCR model');
  const { images } = spec.model;
  const t0 = performance.now();
  // The same (simplified) model files on every backend: a cell compares runtimes, not model variants.
  const ocr = await createOcrPipeline({ registry, backend: spec.backend, devices: [spec.device], strict: true, modelVariant: 'simplified' });
  const sessionCreateMs = performance.now() - t0;
  try {
    const texts: Record<string, string[]> = {};
    const t1 = performance.now();
    for (const image of images) texts[basename(image)] = (await ocr.run(image)).lines.map((l) => l.text);
    const firstInferenceMs = (performance.now() - t1) / images.length;
    let next = 0;
    const cpu = cpuPerRun();
    const figures = await runScenarios(
      {
        run: () => ocr.run(images[next++ % images.length] as string),
        batch: async () => 'the OCR pipeline batches the lines of an image inside one call',
        ...cpu.hooks,
      },
      inputSetSettings(spec.settings, images.length, firstInferenceMs),
    );
    return { id: spec.id, model: spec.model.id, backend: spec.backend, device: spec.device, environment: spec.environment, status: 'ok', sessionCreateMs, firstInferenceMs, ...figures, concurrency: figures.concurrency ?? null, cpuMsPerInference: cpu.ms(), texts };
  } finally {
    await ocr.dispose();
  }
}
