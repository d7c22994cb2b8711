/**
 * Compose a pipeline from polyinfer's packages, every stage on the backend and device a JSON config names.
 *
 *   node dist/compose-pipeline.js configs/mixed.json [image]
 *   node dist/compose-pipeline.js configs/all-ort-web.json [image]
 *   node dist/compose-pipeline.js configs/remote-rec.json [image]   # with `pnpm polyinfer serve` running
 *
 * The code does not change between configs: backends are chosen by name, devices by fallback chain.
 */
import { readFileSync } from 'node:fs';
import type { SessionConfig } from '@polyinfer/core';
import { createRegistry } from '@polyinfer/core';
// The side-effect-free entries: this program builds its own registry instead of using the global one.
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';
import { registerOrtWebBackend } from '@polyinfer/backend-ort-web/base';
import { registerRemoteBackend } from '@polyinfer/backend-remote/base';
import { createOcrPipeline, DEFAULT_SAMPLE_IMAGE } from '@polyinfer/models';

interface PipelineConfig {
  det: SessionConfig;
  cls: SessionConfig | false;
  rec: SessionConfig;
}

export async function composeAndRun(
  configPath: string,
  image = DEFAULT_SAMPLE_IMAGE,
): Promise<{ lines: string[]; report: string }> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as PipelineConfig;

  // 1. Registry: which runtimes exist. Priorities only matter when a stage names no backend.
  const registry = createRegistry({
    onFallback: (a) => console.error(`  ${a.backend}:${a.device} skipped: ${a.reason}`),
  });
  registerOrtNodeBackend(registry);
  registerOrtWebBackend(registry);
  // A stage's config names the server (backendOptions.url) and the model there; none is set here.
  registerRemoteBackend(registry);

  // 2. The pipeline: detection → angle → recognition, each stage a preprocess → session → decode step of its own.
  const ocr = await createOcrPipeline({ registry, det: config.det, cls: config.cls, rec: config.rec });
  try {
    // 3. Run it; each stage says where it ran and how long each step took.
    const result = await ocr.run(image);
    const stages = Object.entries(ocr.stages)
      .map(([name, s]) => `${name}=${s.backend}:${s.device}`)
      .join(' ');
    const t = result.timings;
    const report = [
      ...result.lines.map((l) => `${l.confidence.toFixed(3)}  ${l.text}`),
      `stages: ${stages}`,
      `timings: total ${t.total.toFixed(1)} ms — decode ${t.decode.toFixed(1)}, detection ${t.detection.total.toFixed(1)} (inference ${t.detection.inference.toFixed(1)}), angle ${t.classification.total.toFixed(1)}, recognition ${t.recognition.total.toFixed(1)} (inference ${t.recognition.inference.toFixed(1)})`,
    ].join('\n');
    return { lines: result.lines.map((l) => l.text), report };
  } finally {
    await ocr.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [configPath, image] = process.argv.slice(2);
  if (!configPath) {
    console.error('usage: compose-pipeline <config.json> [image]');
    process.exit(2);
  }
  console.log((await composeAndRun(configPath, image)).report);
}
