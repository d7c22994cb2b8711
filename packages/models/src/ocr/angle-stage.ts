import type { Pipeline, Session, StepTimings } from '@polyinfer/core';
import { createPipeline } from '@polyinfer/core';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import { rotateQuad } from '@polyinfer/preprocess/portable';
import type { AngleMeta, AngleResult } from '../decoders/angle-decoder.js';
import { AngleDecoder } from '../decoders/angle-decoder.js';
import type { ModelDescriptor } from '../descriptors/model-descriptor.js';
import { addTimings, zeroTimings } from './ocr-result.js';
import { OCR_DEFAULTS } from './ocr-defaults.js';
import type { PendingLine } from './detection-stage.js';
import type { TextLineBatch } from './text-line-batch.js';
import { TextLinePreprocessor } from './text-line-batch.js';

export interface AngleSettings {
  threshold?: number;
  batchSize?: number;
  /** See OCR_DEFAULTS.classification.voteLines. */
  voteLines?: number;
}

/** How the angle of a page's lines was settled: by a vote of a few lines, or line by line. */
export interface AngleDecision {
  classified: number;
  voted: boolean;
}

/** The angle classifier: turns the lines it finds upside down (with enough confidence) by 180°. */
export class AngleStage {
  readonly #pipeline: Pipeline<TextLineBatch, AngleMeta, AngleResult[]>;
  readonly #threshold: number;
  readonly #batchSize: number;
  readonly #voteLines: number;

  constructor(session: Session, model: ModelDescriptor, settings: AngleSettings = {}) {
    const c = OCR_DEFAULTS.classification;
    this.#threshold = settings.threshold ?? c.threshold;
    this.#batchSize = settings.batchSize ?? c.batchSize;
    this.#voteLines = settings.voteLines ?? c.voteLines;
    this.#pipeline = createPipeline({
      preprocessor: new TextLinePreprocessor({
        height: model.preprocessing.height ?? 48,
        width: model.preprocessing.width ?? 192,
        windows: c.windows,
        normalize: model.preprocessing,
        inputName: session.inputs[0]?.name ?? 'x',
      }),
      session,
      decoder: new AngleDecoder(model.decoder.labels),
    });
  }

  get session(): Session {
    return this.#pipeline.session;
  }

  /** Turns in place the lines found at 180°: by a page vote where it is unanimous, else line by line. */
  async run(image: RgbImage, lines: PendingLine[]): Promise<{ timings: StepTimings; decision: AngleDecision }> {
    const timings = zeroTimings();
    const vote = this.#voteLines;
    const angles = new Map<PendingLine, AngleResult>();
    if (vote > 0 && lines.length > vote) {
      // The widest lines: most characters, the surest answers.
      const voters = [...lines].sort((a, b) => b.aspect - a.aspect).slice(0, vote);
      (await this.#classify(image, voters, timings)).forEach((angle, i) => angles.set(voters[i] as PendingLine, angle));
      const votes = [...angles.values()];
      const turned = votes.filter((a) => a.label === '180' && a.score > this.#threshold).length;
      const upright = votes.filter((a) => a.label === '0' && a.score > this.#threshold).length;
      if (turned === vote || upright === vote) {
        if (turned === vote) lines.forEach((line) => this.#turn(line));
        return { timings, decision: { classified: vote, voted: true } };
      }
      // Not unanimous: every line for itself (the voters keep the answers they already have).
    }
    const rest = lines.filter((line) => !angles.has(line));
    (await this.#classify(image, rest, timings)).forEach((angle, i) => angles.set(rest[i] as PendingLine, angle));
    for (const line of lines) {
      const angle = angles.get(line) as AngleResult;
      if (angle.label === '180' && angle.score > this.#threshold) this.#turn(line);
    }
    return { timings, decision: { classified: lines.length, voted: false } };
  }

  async #classify(image: RgbImage, lines: readonly PendingLine[], timings: StepTimings): Promise<AngleResult[]> {
    const angles: AngleResult[] = [];
    for (let start = 0; start < lines.length; start += this.#batchSize) {
      const { result, timings: t } = await this.#pipeline.run({
        image,
        lines: lines.slice(start, start + this.#batchSize),
      });
      addTimings(timings, t);
      angles.push(...result);
    }
    return angles;
  }

  #turn(line: PendingLine): void {
    line.quad = rotateQuad(line.quad, 2);
    line.box = rotateQuad(line.box, 2);
    line.angle = 180;
  }

  dispose(): Promise<void> {
    return this.#pipeline.dispose();
  }
}
