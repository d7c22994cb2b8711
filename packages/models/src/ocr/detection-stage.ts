import type { Pipeline, Session, StepTimings } from '@polyinfer/core';
import { createPipeline } from '@polyinfer/core';
import type { Quad, RgbImage } from '@polyinfer/preprocess/portable';
import { quadSize, rotateQuad } from '@polyinfer/preprocess/portable';
import type { DbOptions, DetectionMeta, TextBox } from '../decoders/db-postprocess.js';
import { DbDecoder } from '../decoders/db-postprocess.js';
import type { ModelDescriptor } from '../descriptors/model-descriptor.js';
import { widenQuad } from '../geometry/widen-quad.js';
import { OCR_DEFAULTS } from './ocr-defaults.js';
import { sortReadingOrder } from './reading-order.js';
import type { TextLine } from './text-line-batch.js';
import { DetectionPreprocessor } from './detection-preprocessor.js';

/** A detected line on its way through the stages: where to crop it, and where it is in the image. */
export interface PendingLine extends TextLine {
  /** The text's corners as read (the crop quad before widening). */
  box: Quad;
  angle: 0 | 180;
  /** A box much taller than wide, read as text turned a quarter (its crop is turned back before recognition). */
  vertical: boolean;
}

export interface DetectionSettings extends Partial<DbOptions> {
  limitSideLen?: number;
  limitType?: 'max' | 'min';
  lineMargin?: number;
}

/** DB detection → text lines in reading order, vertical ones turned upright, crops widened a little at both ends. */
export class DetectionStage {
  readonly #pipeline: Pipeline<RgbImage, DetectionMeta, TextBox[]>;
  readonly #lineMargin: number;

  constructor(session: Session, model: ModelDescriptor, settings: DetectionSettings = {}) {
    const d = OCR_DEFAULTS.detection;
    this.#lineMargin = settings.lineMargin ?? OCR_DEFAULTS.recognition.lineMargin;
    this.#pipeline = createPipeline({
      preprocessor: new DetectionPreprocessor({
        limitSideLen: settings.limitSideLen ?? model.preprocessing.limitSideLen ?? d.limitSideLen,
        limitType: settings.limitType ?? d.limitType,
        multiple: model.preprocessing.multiple ?? d.multiple,
        normalize: model.preprocessing,
        inputName: session.inputs[0]?.name ?? 'x',
      }),
      session,
      decoder: new DbDecoder(settings),
    });
  }

  get session(): Session {
    return this.#pipeline.session;
  }

  async run(image: RgbImage): Promise<{ lines: PendingLine[]; timings: StepTimings }> {
    const { result, timings } = await this.#pipeline.run(image);
    const margin = this.#lineMargin;
    const lines = sortReadingOrder(result, OCR_DEFAULTS.detection.rowTolerance).map(({ quad }): PendingLine => {
      const { width, height } = quadSize(quad);
      const vertical = height >= OCR_DEFAULTS.detection.verticalAspect * width;
      const box = vertical ? rotateQuad(quad, 1) : quad;
      const aspect = (vertical ? height / width : width / height) + 2 * margin;
      return { box, quad: widenQuad(box, margin), aspect, angle: 0, vertical };
    });
    return { lines, timings };
  }

  dispose(): Promise<void> {
    return this.#pipeline.dispose();
  }
}
