import { readFileSync } from 'node:fs';
import type { DetectionConfig, DetectionFormat, DetectionResult } from '@polyinfer/models/detection';
import { createDetectionPipeline } from '@polyinfer/models/detection';
import type { CliIo } from '../cli-io.js';
import { expandImageInputs } from './image-inputs.js';
import { parseLabels, runTaskCommand, startTaskCommand } from './image-task-loop.js';
import type { SessionFlags } from './session-options.js';

export interface DetectCommandOptions extends SessionFlags {
  model: string;
  labels?: string;
  json?: boolean;
  scoreThreshold?: string;
  iouThreshold?: string;
  maxDetections?: string;
  classAgnostic?: boolean;
  format?: string;
  inputSize?: string;
  inFlight?: string;
  /** Worker threads, a pipeline each (onnxruntime-node): throughput for folders. */
  workers?: string;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Object detection with the user's YOLO-family model on files, directories and globs; one result per image in input
 * order, a failing image reported while the rest still run. Returns the exit code.
 */
export async function detectCommand(images: string[], options: DetectCommandOptions, io: CliIo): Promise<number> {
  const inputs = expandImageInputs(images);
  const start = startTaskCommand(
    options,
    {
      scoreThreshold: [options.scoreThreshold, false],
      iouThreshold: [options.iouThreshold, false],
      maxDetections: [options.maxDetections, true],
      inputSize: [options.inputSize, true],
    },
    io,
  );
  if (!start) return 2;
  const config: DetectionConfig = { ...start.base, ...start.numbers };
  if (options.classAgnostic) config.classAgnostic = true;
  if (options.format) config.format = options.format as DetectionFormat;
  try {
    if (options.labels) config.labels = parseLabels(readFileSync(options.labels, 'utf8'));
  } catch (error) {
    io.err(`polyinfer: ${(error as Error).message}\n`);
    return 2;
  }
  return runTaskCommand<DetectionResult, typeof config>(
    'detect',
    config,
    inputs,
    { workers: options.workers, json: options.json, inFlight: start.inFlight },
    createDetectionPipeline,
    ({ backend, device }) => ({
      jsonOf: (image, result) => ({
        image,
        width: result.width,
        height: result.height,
        detections: result.detections.map((d) => ({
          box: d.box.map((v) => round(v, 2)),
          score: round(d.score, 4),
          classId: d.classId,
          label: d.label,
        })),
        backend,
        device,
        timings: Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, round(v, 2)])),
      }),
      textOf: (image, result) => {
        const rows = result.detections.map(
          (d) => `  ${d.score.toFixed(3)}  ${d.label.padEnd(12)} [${d.box.map((v) => v.toFixed(1)).join(', ')}]`,
        );
        return [
          `${image} (${result.width}×${result.height}, ${result.detections.length} detections)`,
          ...rows,
          `  ${backend}:${device} — total ${result.timings.total.toFixed(1)} ms (model ${result.timings.inference.toFixed(1)})`,
          '',
        ].join('\n');
      },
    }),
    io,
  );
}
