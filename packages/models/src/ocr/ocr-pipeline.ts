import type { BackendRegistry, DeviceAttempt, SessionConfig, StepTimings } from '@polyinfer/core';
import { ConfigError, createPipeline, defaultRegistry, DisposedError } from '@polyinfer/core';
import type { Pipeline } from '@polyinfer/core';
import type { ImageInput, Point, Quad, RgbImage } from '@polyinfer/preprocess';
import { decodeImage, quadSize } from '@polyinfer/preprocess';
import type { DecodeOptions } from '@polyinfer/preprocess';
import type { AngleMeta, AngleResult } from '../decoders/angle-decoder.js';
import { AngleDecoder } from '../decoders/angle-decoder.js';
import type { RecognitionMeta, RecognizedText } from '../decoders/ctc-decoder.js';
import { CtcDecoder } from '../decoders/ctc-decoder.js';
import type { DbOptions, DetectionMeta, TextBox } from '../decoders/db-postprocess.js';
import { DbDecoder } from '../decoders/db-postprocess.js';
import type { ModelDescriptor } from '../descriptors/model-descriptor.js';
import { PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_REC } from '../descriptors/ppocr-v4.js';
import type { ModelSource } from '@polyinfer/core';
import type { ResolveOptions } from '../resolvers/resolve-options.js';
import { DetectionPreprocessor } from './detection-preprocessor.js';
import { sortReadingOrder } from './reading-order.js';
import type { TextLine, TextLineBatch } from './text-line-batch.js';
import { TextLinePreprocessor } from './text-line-batch.js';

/** One stage's backend choice (overrides the pipeline-wide one) and, optionally, another model. */
export interface OcrStageConfig extends SessionConfig {
  model?: ModelDescriptor;
}

export interface OcrConfig extends SessionConfig {
  registry?: BackendRegistry;
  det?: OcrStageConfig;
  /** `false` skips the angle classifier (faster, for text known to be upright). */
  cls?: OcrStageConfig | false;
  rec?: OcrStageConfig;
  detection?: Partial<DbOptions> & { limitSideLen?: number; limitType?: 'max' | 'min' };
  classification?: { threshold?: number; batchSize?: number };
  recognition?: {
    batchSize?: number;
    /** A batch closes before its lines × tensor width passes this many columns (default 1600). */
    maxBatchWidth?: number;
    /** Recognition batches run at once (default 1). */
    concurrency?: number;
    /** Lines less confident than this are dropped. */
    dropScore?: number;
    /** Narrowest recognition tensor (PaddleOCR pads every batch to at least 320). */
    minWidth?: number;
    /**
     * Each crop is widened by this × the line height on both ends: DB boxes are tight, and a final "." or ","
     * at the edge is lost without a little context. Default 0.15.
     */
    lineMargin?: number;
    /** See CtcOptions.spaceThreshold. */
    spaceThreshold?: number;
  };
  decode?: DecodeOptions;
  /** Node: how model files are resolved (cache folder, fetch). */
  resolve?: ResolveOptions;
  /** Browsers: where the model files are served (file names as in the descriptors). Default "/models/". */
  modelBaseUrl?: string;
}

/** The model files of a pipeline, already located (paths, URLs or bytes), and the dictionary's symbols. */
export interface OcrSources {
  det: ModelSource;
  rec: ModelSource;
  cls?: ModelSource;
  dictionary: readonly string[];
}

export type Box = [[number, number], [number, number], [number, number], [number, number]];

export interface OcrLine {
  text: string;
  confidence: number;
  /** Corners in the input image: top-left, top-right, bottom-right, bottom-left of the text as read. */
  box: Box;
  /** 180 when the angle classifier turned the line over. */
  angle: 0 | 180;
}

export interface OcrTimings {
  decode: number;
  detection: StepTimings;
  classification: StepTimings;
  recognition: StepTimings;
  total: number;
}

export interface OcrResult {
  width: number;
  height: number;
  lines: OcrLine[];
  timings: OcrTimings;
}

export interface StageInfo {
  model: string;
  backend: string;
  device: string;
  skipped: readonly DeviceAttempt[];
}

const zeroTimings = (): StepTimings => ({ preprocess: 0, inference: 0, decode: 0, total: 0 });

function addTimings(into: StepTimings, t: StepTimings): void {
  into.preprocess += t.preprocess;
  into.inference += t.inference;
  into.decode += t.decode;
  into.total += t.total;
}

function rotateQuad(quad: Quad, quarterTurns: number): Quad {
  return [0, 1, 2, 3].map((i) => quad[(i + quarterTurns) % 4]) as unknown as Quad;
}

/** Widens a reading-order quad along its text direction by `margin` × its height on each side. */
function widenQuad(quad: Quad, margin: number): Quad {
  const [tl, tr, br, bl] = quad;
  const height = (Math.hypot(bl.x - tl.x, bl.y - tl.y) + Math.hypot(br.x - tr.x, br.y - tr.y)) / 2;
  const push = (from: Point, to: Point): { dx: number; dy: number } => {
    const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
    return { dx: ((to.x - from.x) / length) * margin * height, dy: ((to.y - from.y) / length) * margin * height };
  };
  const top = push(tl, tr);
  const bottom = push(bl, br);
  return [
    { x: tl.x - top.dx, y: tl.y - top.dy },
    { x: tr.x + top.dx, y: tr.y + top.dy },
    { x: br.x + bottom.dx, y: br.y + bottom.dy },
    { x: bl.x - bottom.dx, y: bl.y - bottom.dy },
  ];
}

/**
 * Groups lines (sorted by aspect) into recognition batches of at most `maxLines`, closing a batch when its padded
 * tensor would exceed `maxWidth` columns in all: on a CPU a batch of narrow lines saves per-run overhead, while a
 * batch of wide lines only costs cache misses and padding.
 */
function batchByWidth(order: readonly number[], lines: readonly TextLine[], maxLines: number, maxWidth: number, pre: TextLinePreprocessor): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    const candidate = [...current, index];
    const width = pre.tensorWidth(candidate.map((i) => lines[i] as TextLine));
    if (current.length > 0 && (candidate.length > maxLines || width * candidate.length > maxWidth)) {
      batches.push(current);
      current = [index];
    } else current = candidate;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * PP-OCR end to end: decode → detect (DB) → reading order → classify angle → recognise (CTC), each stage a
 * polyinfer Pipeline on the backend and device its config names.
 */
export class OcrPipeline {
  #disposed = false;

  constructor(
    private readonly det: Pipeline<RgbImage, DetectionMeta, TextBox[]>,
    private readonly cls: Pipeline<TextLineBatch, AngleMeta, AngleResult[]> | undefined,
    private readonly rec: Pipeline<TextLineBatch, RecognitionMeta, RecognizedText[]>,
    private readonly recPreprocessor: TextLinePreprocessor,
    private readonly settings: Required<NonNullable<OcrConfig['classification']>> & {
      recBatchSize: number;
      recConcurrency: number;
      recBatchWidth: number;
      dropScore: number;
      lineMargin: number;
      decode: DecodeOptions;
    },
    readonly stages: { det: StageInfo; cls?: StageInfo; rec: StageInfo },
  ) {}

  async run(input: ImageInput): Promise<OcrResult> {
    if (this.#disposed) throw new DisposedError('OcrPipeline');
    const t0 = performance.now();
    const image = await decodeImage(input, this.settings.decode);
    const decode = performance.now() - t0;

    const detected = await this.det.run(image);
    const margin = this.settings.lineMargin;
    const lines: (TextLine & { box: Quad; angle: 0 | 180 })[] = sortReadingOrder(detected.result).map(({ quad }) => {
      const { width, height } = quadSize(quad);
      // Tall boxes are vertical text lines: read them turned 90° counter-clockwise, as PaddleOCR does.
      const vertical = height >= 1.5 * width;
      const box = vertical ? rotateQuad(quad, 1) : quad;
      const aspect = (vertical ? height / width : width / height) + 2 * margin;
      return { box, quad: widenQuad(box, margin), aspect, angle: 0 };
    });

    const classification = zeroTimings();
    if (this.cls && lines.length > 0) {
      for (const batch of chunks(lines, this.settings.batchSize)) {
        const { result, timings } = await this.cls.run({ image, lines: batch });
        addTimings(classification, timings);
        result.forEach((angle, i) => {
          const line = batch[i];
          if (line && angle.label === '180' && angle.score > this.settings.threshold) {
            line.quad = rotateQuad(line.quad, 2);
            line.box = rotateQuad(line.box, 2);
            line.angle = 180;
          }
        });
      }
    }

    const recognition = zeroTimings();
    const texts = new Array<RecognizedText | undefined>(lines.length);
    // Sorted by aspect so that each batch pads little.
    const order = lines.map((_, i) => i).sort((a, b) => (lines[a] as TextLine).aspect - (lines[b] as TextLine).aspect);
    const batches = batchByWidth(order, lines, this.settings.recBatchSize, this.settings.recBatchWidth, this.recPreprocessor);
    let next = 0;
    // Up to `recConcurrency` batches in flight: on a few cores two single-threaded runs beat one two-threaded run.
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++] as number[];
        const { result, timings } = await this.rec.run({ image, lines: batch.map((i) => lines[i] as TextLine) });
        addTimings(recognition, timings);
        batch.forEach((lineIndex, k) => (texts[lineIndex] = result[k]));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.recConcurrency, batches.length) }, worker));

    const out: OcrLine[] = [];
    lines.forEach((line, i) => {
      const text = texts[i];
      if (!text || text.text === '' || text.confidence < this.settings.dropScore) return;
      const quad = line.box.map((p: Point) => [Math.round(p.x), Math.round(p.y)]) as Box;
      out.push({ text: text.text, confidence: text.confidence, box: quad, angle: line.angle });
    });
    return {
      width: image.width,
      height: image.height,
      lines: out,
      timings: { decode, detection: detected.timings, classification, recognition, total: performance.now() - t0 },
    };
  }

  /** The recognition tensor width a set of lines would get (exposed for benchmarks and tests). */
  recognitionWidth(lines: readonly TextLine[]): number {
    return this.recPreprocessor.tensorWidth(lines);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await Promise.all([this.det.dispose(), this.cls?.dispose(), this.rec.dispose()]);
  }
}

function stageConfig(config: OcrConfig, stage: OcrStageConfig | undefined): SessionConfig {
  const merged: SessionConfig = {};
  const backend = stage?.backend ?? config.backend;
  const devices = stage?.devices ?? config.devices;
  const strict = stage?.strict ?? config.strict;
  const options = stage?.options ?? config.options;
  if (backend !== undefined) merged.backend = backend;
  if (devices !== undefined) merged.devices = devices;
  if (strict !== undefined) merged.strict = strict;
  if (options !== undefined) merged.options = options;
  return merged;
}

/** The descriptors a config asks for (PP-OCRv4 unless a stage names another model). */
export function ocrModels(config: OcrConfig): { det: ModelDescriptor; rec: ModelDescriptor; cls?: ModelDescriptor } {
  const det = config.det?.model ?? PPOCR_V4_DET;
  const rec = config.rec?.model ?? PPOCR_V4_REC;
  if (!rec.assets?.dictionary) throw new ConfigError(`Recognition model ${rec.id} has no dictionary asset`);
  return config.cls === false ? { det, rec } : { det, rec, cls: config.cls?.model ?? PPOCR_MOBILE_V2_CLS };
}

/** Opens one session per stage on located model files and wires the stages together. */
export async function createOcrPipelineFrom(sources: OcrSources, config: OcrConfig = {}): Promise<OcrPipeline> {
  const registry = config.registry ?? defaultRegistry;
  const { det: detModel, rec: recModel, cls: clsModel } = ocrModels(config);
  const { det: detPath, rec: recPath, cls: clsPath, dictionary } = sources;
  const sessions: { dispose(): Promise<void> }[] = [];
  try {
    const open = async (path: ModelSource, stage: OcrStageConfig | false | undefined) => {
      const session = await registry.createSession(path, stageConfig(config, stage === false ? undefined : stage));
      sessions.push(session);
      return session;
    };
    const detSession = await open(detPath, config.det);
    const recSession = await open(recPath, config.rec);
    const clsSession = clsPath ? await open(clsPath, config.cls) : undefined;

    const detPre = detModel.preprocessing;
    const det = createPipeline({
      preprocessor: new DetectionPreprocessor({
        limitSideLen: config.detection?.limitSideLen ?? detPre.limitSideLen ?? 960,
        limitType: config.detection?.limitType ?? 'max',
        multiple: detPre.multiple ?? 32,
        normalize: detPre,
        inputName: detSession.inputs[0]?.name ?? 'x',
      }),
      session: detSession,
      decoder: new DbDecoder(config.detection),
    });
    const recPreprocessor = new TextLinePreprocessor({
      height: recModel.preprocessing.height ?? 48,
      minWidth: config.recognition?.minWidth ?? 0,
      widthMultiple: 8,
      normalize: recModel.preprocessing,
      inputName: recSession.inputs[0]?.name ?? 'x',
    });
    const rec = createPipeline({
      preprocessor: recPreprocessor,
      session: recSession,
      decoder: new CtcDecoder(dictionary, config.recognition?.spaceThreshold === undefined ? {} : { spaceThreshold: config.recognition.spaceThreshold }),
    });
    const cls =
      clsModel && clsSession
        ? createPipeline({
            preprocessor: new TextLinePreprocessor({
              height: clsModel.preprocessing.height ?? 48,
              width: clsModel.preprocessing.width ?? 192,
              windows: 3,
              normalize: clsModel.preprocessing,
              inputName: clsSession.inputs[0]?.name ?? 'x',
            }),
            session: clsSession,
            decoder: new AngleDecoder(clsModel.decoder.labels),
          })
        : undefined;

    const info = (model: ModelDescriptor, s: typeof detSession): StageInfo => ({
      model: model.id,
      backend: s.backend,
      device: s.device,
      skipped: s.provenance.skipped,
    });
    return new OcrPipeline(
      det,
      cls,
      rec,
      recPreprocessor,
      {
        threshold: config.classification?.threshold ?? 0.9,
        batchSize: config.classification?.batchSize ?? 6,
        recBatchSize: config.recognition?.batchSize ?? 6,
        recConcurrency: config.recognition?.concurrency ?? 1,
        recBatchWidth: config.recognition?.maxBatchWidth ?? 1600,
        dropScore: config.recognition?.dropScore ?? 0.5,
        lineMargin: config.recognition?.lineMargin ?? 0.15,
        decode: config.decode ?? {},
      },
      {
        det: info(detModel, detSession),
        rec: info(recModel, recSession),
        ...(clsModel && clsSession ? { cls: info(clsModel, clsSession) } : {}),
      },
    );
  } catch (error) {
    await Promise.all(sessions.map((s) => s.dispose()));
    throw error;
  }
}
