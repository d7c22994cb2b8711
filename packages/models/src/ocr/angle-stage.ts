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
}

/** The angle classifier: turns the lines it finds upside down (with enough confidence) by 180°. */
export class AngleStage {
  readonly #pipeline: Pipeline<TextLineBatch, AngleMeta, AngleResult[]>;
  readonly #threshold: number;
  readonly #batchSize: number;

  constructor(session: Session, model: ModelDescriptor, settings: AngleSettings = {}) {
    const c = OCR_DEFAULTS.classification;
    this.#threshold = settings.threshold ?? c.threshold;
    this.#batchSize = settings.batchSize ?? c.batchSize;
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

  /** Classifies every line, turning in place those found at 180°. */
  async run(image: RgbImage, lines: PendingLine[]): Promise<StepTimings> {
    const timings = zeroTimings();
    for (let start = 0; start < lines.length; start += this.#batchSize) {
      const batch = lines.slice(start, start + this.#batchSize);
      const { result, timings: t } = await this.#pipeline.run({ image, lines: batch });
      addTimings(timings, t);
      result.forEach((angle, i) => {
        const line = batch[i];
        if (line && angle.label === '180' && angle.score > this.#threshold) {
          line.quad = rotateQuad(line.quad, 2);
          line.box = rotateQuad(line.box, 2);
          line.angle = 180;
        }
      });
    }
    return timings;
  }

  dispose(): Promise<void> {
    return this.#pipeline.dispose();
  }
}
