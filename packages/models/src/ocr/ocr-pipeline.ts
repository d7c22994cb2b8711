import type { Session } from '@polyinfer/core';
import { defaultRegistry, DisposedError, Tensor } from '@polyinfer/core';
import type { ImageInput } from '@polyinfer/preprocess';
import { decodeImage } from '@polyinfer/preprocess';
import type { DecodeOptions } from '@polyinfer/preprocess';
import type { OcrConfig, OcrSources } from './ocr-config.js';
import { ocrModels, stageSessionConfig } from './ocr-config.js';
import { OCR_DEFAULTS } from './ocr-defaults.js';
import type { OcrLayout, OcrResult, StageInfo } from './ocr-result.js';
import { stageInfo, zeroTimings } from './ocr-result.js';
import type { PendingLine } from './detection-stage.js';
import { DetectionStage } from './detection-stage.js';
import { AngleStage } from './angle-stage.js';
import { RecognitionStage } from './recognition-stage.js';
import type { LayoutSegment } from './page-layout.js';
import { assemblePage } from './page-layout.js';
import { wordQuads } from './word-boxes.js';
import type { PageTurn } from './reading-order.js';
import { sortReadingOrderTurned } from './reading-order.js';
import type { OcrBatchItem, RunManyOptions } from '../run-many.js';
import { runInOrder } from '../run-many.js';

export interface OcrStages {
  det: DetectionStage;
  cls?: AngleStage;
  rec: RecognitionStage;
}

/**
 * PP-OCR end to end: decode → detect (DB, reading order) → classify angle → recognise (CTC). Each stage is an object
 * over its own session, on the backend and device its config names.
 */
export class OcrPipeline {
  readonly stages: { det: StageInfo; cls?: StageInfo; rec: StageInfo };
  #disposed = false;

  constructor(
    private readonly parts: OcrStages,
    private readonly settings: {
      dropScore: number;
      layout: OcrLayout;
      decode: DecodeOptions;
      models: { det: string; cls?: string; rec: string };
    },
  ) {
    const { det, cls, rec } = parts;
    const { models } = settings;
    this.stages = {
      det: stageInfo(models.det, det.session),
      rec: stageInfo(models.rec, rec.session),
      ...(cls && models.cls ? { cls: stageInfo(models.cls, cls.session) } : {}),
    };
  }

  async run(input: ImageInput): Promise<OcrResult> {
    if (this.#disposed) throw new DisposedError('OcrPipeline');
    const t0 = performance.now();
    const image = await decodeImage(input, this.settings.decode);
    const decode = performance.now() - t0;

    const { lines: found, timings: detection } = await this.parts.det.run(image);
    const classification =
      this.parts.cls && found.length > 0 ? (await this.parts.cls.run(image, found)).timings : zeroTimings();
    // Most lines turned the same way: the page is turned, and is read in the order of the page turned upright.
    const turn = pageTurn(found);
    const lines =
      turn === 0
        ? found
        : sortReadingOrderTurned(found, turn, image.width, image.height, OCR_DEFAULTS.detection.rowTolerance);
    const { texts, stepFractions, timings: recognition } = await this.parts.rec.run(image, lines);

    const segments: LayoutSegment[] = [];
    lines.forEach((line, i) => {
      const text = texts[i];
      if (!text || text.text === '' || text.confidence < this.settings.dropScore) return;
      const words = wordQuads(text.chars, line.quad, line.box, stepFractions[i] ?? 0);
      segments.push({ box: line.box, text: text.text, confidence: text.confidence, angle: line.angle, words });
    });
    const page = assemblePage(segments, { turn, width: image.width, height: image.height }, this.settings.layout);
    return {
      width: image.width,
      height: image.height,
      ...page,
      timings: { decode, detection, classification, recognition, total: performance.now() - t0 },
    };
  }

  /**
   * Runs each stage's session a few times on inputs of a typical page's shapes, outputs discarded. For runtimes that
   * compile late — a browser's wasm engine starts on its baseline compiler and optimises the hot functions in the
   * background — this moves that cost out of the first image: call it while the user picks one.
   */
  async warmUp(runs = 2): Promise<void> {
    if (this.#disposed) throw new DisposedError('OcrPipeline');
    const { det, cls, rec } = this.parts;
    for (let i = 0; i < runs; i++) {
      await warmUpRun(det.session, WARM_UP_SHAPES.det);
      if (cls) await warmUpRun(cls.session, WARM_UP_SHAPES.cls);
      await warmUpRun(rec.session, WARM_UP_SHAPES.rec);
    }
  }

  /**
   * Many images, a few in flight (`inFlight`, default 2), outcomes yielded in input order as they are ready. An image
   * that fails comes with its error; the others still run.
   */
  stream<I extends ImageInput>(inputs: Iterable<I>, options: RunManyOptions = {}): AsyncGenerator<OcrBatchItem<I>> {
    if (this.#disposed) throw new DisposedError('OcrPipeline');
    return runInOrder(inputs, (input) => this.run(input), options);
  }

  /** `stream` collected: every image's result or error, in input order. */
  async runMany<I extends ImageInput>(inputs: Iterable<I>, options: RunManyOptions = {}): Promise<OcrBatchItem<I>[]> {
    const items: OcrBatchItem<I>[] = [];
    for await (const item of this.stream(inputs, options)) items.push(item);
    return items;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await Promise.all([this.parts.det.dispose(), this.parts.cls?.dispose(), this.parts.rec.dispose()]);
  }
}

/** A page's detection input, an angle vote, a batch of lines: shapes a first image will run. */
const WARM_UP_SHAPES = { det: [1, 3, 640, 640], cls: [4, 3, 48, 192], rec: [4, 3, 48, 640] } as const;

/** One run on a smooth, image-like pattern in [-1, 1]; the model's fixed dims win over the typical shape's. */
async function warmUpRun(session: Session, typical: readonly number[]): Promise<void> {
  const input = session.inputs[0];
  if (!input) return;
  const dims = typical.map((d, i) => {
    const fixed = input.dims[i];
    return typeof fixed === 'number' && fixed > 0 ? fixed : d;
  });
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.013) * Math.cos(i * 0.0007);
  await session.run({ [input.name]: new Tensor('float32', data, dims) });
}

/** The quarter turns most of a page's lines share (a vertical box is a quarter, the classifier's 180° two more). */
function pageTurn(lines: readonly PendingLine[]): PageTurn {
  const counts = [0, 0, 0, 0];
  for (const l of lines) {
    const turn = (l.vertical ? 1 : 0) + (l.angle === 180 ? 2 : 0);
    counts[turn] = (counts[turn] ?? 0) + 1;
  }
  const best = counts.indexOf(Math.max(...counts)) as PageTurn;
  return (counts[best] as number) * 2 > lines.length ? best : 0;
}

/** Opens one session per stage on located model files and wires the stages together. */
export async function createOcrPipelineFrom(sources: OcrSources, config: OcrConfig = {}): Promise<OcrPipeline> {
  const registry = config.registry ?? defaultRegistry;
  const models = ocrModels(config);
  const sessions: Session[] = [];
  const open = async (
    model: OcrSources['det'],
    stage: OcrConfig['det'] | OcrConfig['cls'],
    id: string,
    hints: { shapesVary?: boolean } = {},
  ): Promise<Session> => {
    // The model-set id names the model to a remote server and in errors about model bytes.
    const own = stageSessionConfig(config, stage, id);
    const session = await registry.createSession(model, { ...own, options: { ...hints, ...own.options } });
    sessions.push(session);
    return session;
  };
  try {
    const det = new DetectionStage(
      await open(sources.det, config.det, models.det.id, { shapesVary: true }),
      models.det,
      {
        ...config.detection,
        ...(config.recognition?.lineMargin === undefined ? {} : { lineMargin: config.recognition.lineMargin }),
      },
    );
    const rec = new RecognitionStage(
      await open(sources.rec, config.rec, models.rec.id),
      models.rec,
      sources.dictionary,
      config.recognition,
    );
    const cls =
      models.cls && sources.cls
        ? new AngleStage(await open(sources.cls, config.cls, models.cls.id), models.cls, config.classification)
        : undefined;
    return new OcrPipeline(cls ? { det, cls, rec } : { det, rec }, {
      dropScore: config.recognition?.dropScore ?? OCR_DEFAULTS.recognition.dropScore,
      layout: config.layout ?? 'auto',
      decode: config.decode ?? {},
      models: { det: models.det.id, rec: models.rec.id, ...(models.cls && sources.cls ? { cls: models.cls.id } : {}) },
    });
  } catch (error) {
    await Promise.all(sessions.map((s) => s.dispose()));
    throw error;
  }
}
