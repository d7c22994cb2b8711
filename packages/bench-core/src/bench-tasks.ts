import type { BackendRegistry } from '@polyinfer/core';
import { createOcrPipeline } from '@polyinfer/models';
import { createClassificationPipeline } from '@polyinfer/models/classification';
import { createDetectionPipeline, intersectionOverUnion } from '@polyinfer/models/detection';
import type { BoxXyxy } from '@polyinfer/models/detection';
import { characterErrorRate } from './text-metrics.js';

/** Where a task cell opens its pipeline: one backend:device (strict), the model file or URL, the environment's extras. */
export interface TaskOpenOptions {
  registry: BackendRegistry;
  backend: string;
  device: string;
  /** The user's model (detect, classify): a path in Node, a URL in a page. */
  model?: string;
  /** A page's OCR model manifest (models served beside the page). */
  modelManifestUrl?: string;
}

/** A task's pipeline as a cell drives it: one image in, its result out. */
export interface TaskRunner {
  run(image: string): Promise<unknown>;
  dispose(): Promise<void>;
}

/** A cell's verdict against the reference cell (and ground truth where the task has one). */
export interface TaskParity {
  pass: boolean;
  problem?: string;
  /** OCR: the text equals the reference's, and its character error rate against the ground truth. */
  textMatches?: boolean;
  cer?: number;
}

/**
 * What the benchmark knows of a task: how to open its pipeline, what of each image's result it keeps (JSON), and when
 * two cells agree. A third task is one entry here; the Node cells and the browser page run the same code.
 */
export interface BenchTask {
  readonly name: string;
  /** Whether the task's model is the user's (`--model`), or bundled (OCR). */
  readonly needsModel: boolean;
  /** What the batch scenario reports for a pipeline (which takes one image per call). */
  readonly batchNote: string;
  open(options: TaskOpenOptions): Promise<TaskRunner>;
  summary(result: unknown): unknown;
  parity(
    cell: Record<string, unknown>,
    reference: Record<string, unknown> | undefined,
    truth?: Record<string, unknown>,
  ): TaskParity | undefined;
}

const strict = (
  o: TaskOpenOptions,
): { registry: BackendRegistry; backend: string; devices: string[]; strict: true } => ({
  registry: o.registry,
  backend: o.backend,
  devices: [o.device],
  strict: true,
});
const needModel = (o: TaskOpenOptions, task: string): string => {
  if (o.model === undefined) throw new Error(`the ${task} task benchmarks your model: give it (--model)`);
  return o.model;
};
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

interface DetectionSummary {
  box: BoxXyxy;
  score: number;
  classId: number;
}

/** Detections agree when each has its counterpart in order: same class, boxes overlapping by IoU ≥ 0.9, scores within 1e-3. */
function detectionsAgree(cell: DetectionSummary[], reference: DetectionSummary[]): string | undefined {
  if (cell.length !== reference.length) return `${cell.length} detections where the reference has ${reference.length}`;
  for (const [i, d] of cell.entries()) {
    const r = reference[i] as DetectionSummary;
    if (d.classId !== r.classId) return `detection ${i} is class ${d.classId}, the reference's ${r.classId}`;
    const iou = intersectionOverUnion(d.box, r.box);
    if (iou < 0.9) return `detection ${i}'s box overlaps the reference's by IoU ${iou.toFixed(3)} (< 0.9)`;
    if (Math.abs(d.score - r.score) > 1e-3)
      return `detection ${i} scores ${d.score.toFixed(4)}, the reference ${r.score.toFixed(4)}`;
  }
  return undefined;
}

/** Per image: the first disagreement, if any. */
function perImage<T>(
  cell: Record<string, unknown>,
  reference: Record<string, unknown>,
  agree: (c: T, r: T) => string | undefined,
): TaskParity {
  for (const [image, value] of Object.entries(reference)) {
    const problem = cell[image] === undefined ? 'no result' : agree(cell[image] as T, value as T);
    if (problem) return { pass: false, problem: `${image}: ${problem}` };
  }
  return { pass: true };
}

export const BENCH_TASKS: Readonly<Record<string, BenchTask>> = {
  ocr: {
    name: 'ocr',
    needsModel: false,
    batchNote: 'the OCR pipeline batches the lines of an image inside one call',
    // The same (simplified) model files on every backend: a cell compares runtimes, not model variants.
    open: (o) =>
      createOcrPipeline({
        ...strict(o),
        modelVariant: 'simplified',
        ...(o.modelManifestUrl ? { modelManifestUrl: o.modelManifestUrl, modelCache: false } : {}),
      }),
    summary: (result) => (result as { lines: { text: string }[] }).lines.map((l) => l.text),
    parity(cell, reference, truth) {
      const page = (lines: Record<string, unknown>): string =>
        Object.keys(cell)
          .map((k) => ((lines[k] as string[] | undefined) ?? []).join('\n'))
          .join('\n');
      if (!reference && !truth) return undefined;
      const textMatches = reference ? same(cell, reference) : undefined;
      const cer = truth ? characterErrorRate(page(cell), page(truth)) : undefined;
      return {
        pass: textMatches ?? cer === 0,
        ...(textMatches !== undefined ? { textMatches } : {}),
        ...(cer !== undefined ? { cer } : {}),
      };
    },
  },
  detect: {
    name: 'detect',
    needsModel: true,
    batchNote: 'the detection pipeline takes one image per call',
    open: (o) => createDetectionPipeline({ ...strict(o), model: needModel(o, 'detect') }),
    summary: (result) =>
      (result as { detections: DetectionSummary[] }).detections.map((d) => ({
        box: d.box,
        score: d.score,
        classId: d.classId,
      })),
    parity: (cell, reference) =>
      reference ? perImage<DetectionSummary[]>(cell, reference, detectionsAgree) : undefined,
  },
  classify: {
    name: 'classify',
    needsModel: true,
    batchNote: 'the classification pipeline takes one image per call',
    open: (o) => createClassificationPipeline({ ...strict(o), model: needModel(o, 'classify') }),
    summary: (result) =>
      (result as { classes: { index: number; score: number }[] }).classes.map((c) => ({
        index: c.index,
        score: c.score,
      })),
    parity: (cell, reference) =>
      reference
        ? perImage<{ index: number; score: number }[]>(cell, reference, (c, r) => {
            if (c[0]?.index !== r[0]?.index) return `top class ${c[0]?.index}, the reference's ${r[0]?.index}`;
            const off = c.findIndex(
              (x, i) => x.index !== r[i]?.index || Math.abs(x.score - (r[i]?.score ?? Number.NaN)) > 1e-3,
            );
            return off < 0 ? undefined : `class ${off} differs from the reference's (index or score beyond 1e-3)`;
          })
        : undefined,
  },
};

/** The task a name names; an unknown one is an error naming the known ones. */
export function benchTask(name: string): BenchTask {
  const task = BENCH_TASKS[name];
  if (!task) throw new Error(`no benchmark task "${name}" (tasks: ${Object.keys(BENCH_TASKS).join(', ')})`);
  return task;
}
