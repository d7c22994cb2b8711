import { readFileSync } from 'node:fs';
import type { ClassificationConfig, ClassificationResult } from '@polyinfer/models/classification';
import { createClassificationPipeline, IMAGENET_NORMALIZE } from '@polyinfer/models/classification';
import type { CliIo } from '../cli-io.js';
import { expandImageInputs } from './image-inputs.js';
import { parseLabels, runTaskCommand, startTaskCommand } from './image-task-loop.js';
import type { SessionFlags } from './session-options.js';

export interface ClassifyCommandOptions extends SessionFlags {
  model: string;
  labels?: string;
  json?: boolean;
  topK?: string;
  resize?: string;
  cropRatio?: string;
  mean?: string;
  std?: string;
  output?: string;
  inputSize?: string;
  inFlight?: string;
  /** Worker threads, a pipeline each (onnxruntime-node): throughput for folders. */
  workers?: string;
}

/** "0.5,0.5,0.5" → a per-channel triple, or undefined when absent. */
function triple(name: string, value: string | undefined): [number, number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p)))
    throw new Error(`--${name} takes three numbers, R,G,B; got "${value}"`);
  return parts as [number, number, number];
}

/** Image classification with the user's ONNX model; one result per image in input order. Returns the exit code. */
export async function classifyCommand(images: string[], options: ClassifyCommandOptions, io: CliIo): Promise<number> {
  const inputs = expandImageInputs(images);
  const start = startTaskCommand(
    options,
    { topK: [options.topK, true], cropRatio: [options.cropRatio, false], inputSize: [options.inputSize, true] },
    io,
  );
  if (!start) return 2;
  const config: ClassificationConfig = { ...start.base, ...start.numbers };
  if (options.resize) config.resize = options.resize as ClassificationConfig['resize'] & string;
  if (options.output) config.output = options.output as ClassificationConfig['output'] & string;
  try {
    const mean = triple('mean', options.mean);
    const std = triple('std', options.std);
    if (mean || std) config.normalize = { ...IMAGENET_NORMALIZE, ...(mean ? { mean } : {}), ...(std ? { std } : {}) };
    if (options.labels) config.labels = parseLabels(readFileSync(options.labels, 'utf8'));
  } catch (error) {
    io.err(`polyinfer: ${(error as Error).message}\n`);
    return 2;
  }
  return runTaskCommand<ClassificationResult, typeof config>(
    'classify',
    config,
    inputs,
    { workers: options.workers, json: options.json, inFlight: start.inFlight },
    createClassificationPipeline,
    ({ backend, device }) => ({
      jsonOf: (image, result) => ({
        image,
        classes: result.classes.map((c) => ({
          index: c.index,
          label: c.label,
          score: Math.round(c.score * 1e6) / 1e6,
        })),
        backend,
        device,
      }),
      textOf: (image, result) =>
        [
          `${image} (${result.width}×${result.height})`,
          ...result.classes.map((c) => `  ${(c.score * 100).toFixed(2).padStart(6)} %  ${c.label}`),
          `  ${backend}:${device} — total ${result.timings.total.toFixed(1)} ms`,
          '',
        ].join('\n'),
    }),
    io,
  );
}
