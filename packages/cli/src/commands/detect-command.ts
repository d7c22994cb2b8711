import { readFileSync } from 'node:fs';
import { isPolyinferError } from '@polyinfer/core';
import type { DetectionConfig, DetectionFormat, DetectionPipeline, DetectionResult } from '@polyinfer/models/detection';
import { createDetectionPipeline } from '@polyinfer/models/detection';
import type { CliIo } from '../cli-io.js';
import { createCliRegistry } from '../cli-registry.js';
import { expandImageInputs } from './image-inputs.js';
import { progressLine } from './progress-line.js';

export interface DetectCommandOptions {
  model: string;
  labels?: string;
  json?: boolean;
  backend?: string;
  device?: string;
  strict?: boolean;
  threads?: string;
  scoreThreshold?: string;
  iouThreshold?: string;
  maxDetections?: string;
  classAgnostic?: boolean;
  format?: string;
  inputSize?: string;
  inFlight?: string;
}

/** A labels file: one class name per line, in class-id order (blank lines at the end ignored). */
export function parseLabels(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

function jsonOf(image: string, result: DetectionResult, detector: DetectionPipeline): object {
  return {
    image,
    width: result.width,
    height: result.height,
    detections: result.detections.map((d) => ({ box: d.box.map((v) => round(v, 2)), score: round(d.score, 4), classId: d.classId, label: d.label })),
    backend: detector.session.backend,
    device: detector.session.device,
    timings: Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, round(v, 2)])),
  };
}

function textOf(image: string, result: DetectionResult, detector: DetectionPipeline): string {
  const rows = result.detections.map((d) => `  ${d.score.toFixed(3)}  ${d.label.padEnd(12)} [${d.box.map((v) => v.toFixed(1)).join(', ')}]`);
  return [`${image} (${result.width}×${result.height}, ${result.detections.length} detections)`, ...rows, `  ${detector.session.backend}:${detector.session.device} — total ${result.timings.total.toFixed(1)} ms (model ${result.timings.inference.toFixed(1)})`, ''].join('\n');
}

/** A number option, or a message naming it. */
function numberOption(name: string, value: string | undefined, whole: boolean): number | undefined | string {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n))) return `--${name} takes ${whole ? 'a whole number' : 'a number'}; got "${value}"`;
  return n;
}

/**
 * Object detection with the user's YOLO-family model on files, directories and globs; one result per image in input
 * order, a failing image reported while the rest still run. Returns the exit code.
 */
export async function detectCommand(images: string[], options: DetectCommandOptions, io: CliIo): Promise<number> {
  const inputs = expandImageInputs(images);
  if (inputs.length === 0) {
    io.err('polyinfer: detect needs at least one image\n');
    return 2;
  }
  const config: DetectionConfig = { model: options.model, registry: createCliRegistry(io) };
  const numbers = {
    scoreThreshold: numberOption('score-threshold', options.scoreThreshold, false),
    iouThreshold: numberOption('iou-threshold', options.iouThreshold, false),
    maxDetections: numberOption('max-detections', options.maxDetections, true),
    inputSize: numberOption('input-size', options.inputSize, true),
    inFlight: numberOption('in-flight', options.inFlight, true),
    threads: numberOption('threads', options.threads, true),
  };
  for (const value of Object.values(numbers)) {
    if (typeof value === 'string') {
      io.err(`polyinfer: ${value}\n`);
      return 2;
    }
  }
  const { scoreThreshold, iouThreshold, maxDetections, inputSize, inFlight, threads } = numbers as Record<keyof typeof numbers, number | undefined>;
  if (scoreThreshold !== undefined) config.scoreThreshold = scoreThreshold;
  if (iouThreshold !== undefined) config.iouThreshold = iouThreshold;
  if (maxDetections !== undefined) config.maxDetections = maxDetections;
  if (inputSize !== undefined) config.inputSize = inputSize;
  if (options.classAgnostic) config.classAgnostic = true;
  if (options.format) config.format = options.format as DetectionFormat;
  if (options.backend) config.backend = options.backend;
  if (options.device) config.devices = options.device.split(',').map((d) => d.trim()).filter(Boolean);
  if (options.strict) config.strict = true;
  if (threads !== undefined) config.options = { intraOpThreads: threads };
  let detector: DetectionPipeline;
  try {
    if (options.labels) config.labels = parseLabels(readFileSync(options.labels, 'utf8'));
    detector = await createDetectionPipeline(config);
  } catch (error) {
    io.err(`polyinfer: ${(error as Error).message}\n`);
    return 2;
  }
  let failures = 0;
  const many = inputs.length > 1;
  const progress = progressLine(io.err, many && (io.isTerminal ?? false), 'detect');
  const started = performance.now();
  try {
    for await (const item of detector.stream(inputs, { inFlight: inFlight ?? 2, onProgress: (done, total) => progress.update(done, total) })) {
      progress.end();
      if ('result' in item) io.out(options.json ? `${JSON.stringify(jsonOf(item.input, item.result, detector))}\n` : textOf(item.input, item.result, detector));
      else {
        failures++;
        const code = isPolyinferError(item.error) ? item.error.code : 'INTERNAL';
        if (options.json) io.out(`${JSON.stringify({ image: item.input, error: { code, message: item.error.message } })}\n`);
        io.err(`polyinfer: ${item.input}: ${item.error.message}\n`);
      }
    }
  } finally {
    progress.end();
    await detector.dispose();
  }
  if (many) {
    const seconds = (performance.now() - started) / 1000;
    io.err(`polyinfer: ${inputs.length} images in ${seconds.toFixed(1)} s, ${(inputs.length / seconds).toFixed(2)} images/s${failures ? `, ${failures} failed` : ''}\n`);
  }
  return failures > 0 ? 1 : 0;
}
