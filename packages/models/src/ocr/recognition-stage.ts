import type { Pipeline, Session, StepTimings } from '@polyinfer/core';
import { createPipeline } from '@polyinfer/core';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import type { RecognitionMeta, RecognizedText } from '../decoders/ctc-decoder.js';
import { CtcDecoder } from '../decoders/ctc-decoder.js';
import type { ModelDescriptor } from '../descriptors/model-descriptor.js';
import { addTimings, zeroTimings } from './ocr-result.js';
import { OCR_DEFAULTS } from './ocr-defaults.js';
import type { TextLine, TextLineBatch } from './text-line-batch.js';
import { TextLinePreprocessor } from './text-line-batch.js';

export interface RecognitionSettings {
  batchSize?: number;
  maxBatchWidth?: number;
  concurrency?: number;
  minWidth?: number;
  widthScale?: number;
  spaceThreshold?: number;
}

/** CTC recognition of text lines, batched by width, up to `concurrency` batches in flight. */
export class RecognitionStage {
  readonly #pipeline: Pipeline<TextLineBatch, RecognitionMeta, RecognizedText[]>;
  readonly #preprocessor: TextLinePreprocessor;
  readonly #settings: Required<Pick<RecognitionSettings, 'batchSize' | 'maxBatchWidth' | 'concurrency'>>;

  constructor(
    session: Session,
    model: ModelDescriptor,
    dictionary: readonly string[],
    settings: RecognitionSettings = {},
  ) {
    const r = OCR_DEFAULTS.recognition;
    this.#settings = {
      batchSize: settings.batchSize ?? r.batchSize,
      maxBatchWidth: settings.maxBatchWidth ?? r.maxBatchWidth,
      concurrency: settings.concurrency ?? r.concurrency,
    };
    this.#preprocessor = new TextLinePreprocessor({
      height: model.preprocessing.height ?? 48,
      minWidth: settings.minWidth ?? r.minWidth,
      widthScale: settings.widthScale ?? r.widthScale,
      widthMultiple: r.widthMultiple,
      normalize: model.preprocessing,
      inputName: session.inputs[0]?.name ?? 'x',
    });
    this.#pipeline = createPipeline({
      preprocessor: this.#preprocessor,
      session,
      decoder: new CtcDecoder(
        dictionary,
        settings.spaceThreshold === undefined ? {} : { spaceThreshold: settings.spaceThreshold },
      ),
    });
  }

  get session(): Session {
    return this.#pipeline.session;
  }

  /**
   * The text of each line, in the order given, and the share of the line's crop one time step covers (where its
   * characters are: see `wordQuads`).
   */
  async run(
    image: RgbImage,
    lines: readonly TextLine[],
  ): Promise<{ texts: (RecognizedText | undefined)[]; stepFractions: number[]; timings: StepTimings }> {
    const timings = zeroTimings();
    const texts = new Array<RecognizedText | undefined>(lines.length);
    const stepFractions = new Array<number>(lines.length).fill(0);
    // Sorted by aspect so that each batch pads little.
    const order = lines.map((_, i) => i).sort((a, b) => (lines[a] as TextLine).aspect - (lines[b] as TextLine).aspect);
    const batches = this.#batchByWidth(order, lines);
    let next = 0;
    // Several batches in flight: on a few cores two single-threaded runs can beat one two-threaded run.
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++] as number[];
        const batchLines = batch.map((i) => lines[i] as TextLine);
        const { result, timings: t } = await this.#pipeline.run({ image, lines: batchLines });
        addTimings(timings, t);
        const columns = this.#preprocessor.tensorWidth(batchLines);
        batch.forEach((lineIndex, k) => {
          const text = result[k];
          texts[lineIndex] = text;
          if (text && text.steps > 0)
            stepFractions[lineIndex] =
              columns / text.steps / this.#preprocessor.naturalWidth(batchLines[k] as TextLine);
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#settings.concurrency, batches.length) }, worker));
    return { texts, stepFractions, timings };
  }

  /**
   * Groups lines (sorted by aspect) into batches of at most `batchSize`, closing a batch when its padded tensor
   * would exceed `maxBatchWidth` columns in all: on a CPU a batch of narrow lines saves per-run overhead, while a
   * batch of wide lines only costs cache misses and padding.
   */
  #batchByWidth(order: readonly number[], lines: readonly TextLine[]): number[][] {
    const { batchSize, maxBatchWidth } = this.#settings;
    const batches: number[][] = [];
    let current: number[] = [];
    for (const index of order) {
      const candidate = [...current, index];
      const width = this.#preprocessor.tensorWidth(candidate.map((i) => lines[i] as TextLine));
      if (current.length > 0 && (candidate.length > batchSize || width * candidate.length > maxBatchWidth)) {
        batches.push(current);
        current = [index];
      } else current = candidate;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }

  dispose(): Promise<void> {
    return this.#pipeline.dispose();
  }
}
