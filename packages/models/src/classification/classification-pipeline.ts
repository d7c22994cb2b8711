import type { Session, TensorInfo } from '@polyinfer/core';
import type { DecodeOptions, ImageInput } from '@polyinfer/preprocess';
import { decodeImage } from '@polyinfer/preprocess';
import { ModelOutputMismatchError, singleOutput } from '../decoders/single-output.js';
import { fixedDim, imageTaskTimings, singleImageInput } from '../image-task/image-task-input.js';
import { softmax, topK } from '../decoders/top-k-decoder.js';
import { openSingleModel, SingleModelPipeline } from '../image-task/single-model-pipeline.js';
import type { ClassificationConfig, ClassificationSettings } from './classification-config.js';
import { classificationSettings } from './classification-config.js';
import type { ClassificationResult } from './classification-result.js';
import { classifierInput } from './classifier-input.js';

/** Probabilities already: every value in [0, 1] and the row sums to 1 (to float32 rounding). */
function looksLikeProbabilities(row: Float32Array): boolean {
  let sum = 0;
  for (const v of row) {
    if (!(v >= 0 && v <= 1)) return false;
    sum += v;
  }
  return Math.abs(sum - 1) < 1e-3;
}

/** Image classification with the user's ONNX model: decode → resize/crop → normalise → the model → top k. */
export class ClassificationPipeline extends SingleModelPipeline<ClassificationResult> {
  readonly #inputName: string;
  readonly #size: { width: number; height: number };
  readonly #layout: 'nchw' | 'nhwc';

  constructor(
    session: Session,
    private readonly settings: ClassificationSettings & { labels?: readonly string[]; decode: DecodeOptions },
  ) {
    super(session, 'ClassificationPipeline');
    // Channels last when axis 3 is 3 and axis 1 is not (TensorFlow exports); first otherwise.
    const channelsLast = (i: TensorInfo): boolean => fixedDim(i.dims[3]) === 3 && fixedDim(i.dims[1]) !== 3;
    const input = singleImageInput(session, 'an image classifier', '[1, 3, H, W] or [1, H, W, 3]', (i) =>
      channelsLast(i) ? 3 : 1,
    );
    this.#layout = channelsLast(input) ? 'nhwc' : 'nchw';
    const [h, w] = this.#layout === 'nchw' ? [input.dims[2], input.dims[3]] : [input.dims[1], input.dims[2]];
    this.#size = { width: fixedDim(w) ?? settings.inputSize, height: fixedDim(h) ?? settings.inputSize };
    this.#inputName = input.name;
  }

  get inputSize(): { width: number; height: number; layout: 'nchw' | 'nhwc' } {
    return { ...this.#size, layout: this.#layout };
  }

  protected async runImage(input: ImageInput): Promise<ClassificationResult> {
    const t0 = performance.now();
    const image = await decodeImage(input, this.settings.decode);
    const t1 = performance.now();
    const tensor = classifierInput(image, this.#size, this.#layout, this.settings);
    const t2 = performance.now();
    const outputs = await this.session.run({ [this.#inputName]: tensor });
    const t3 = performance.now();
    // One row of scores for the one image: [1, C] or [C].
    const scores = singleOutput(outputs, 'classification', { ranks: [1, 2], shape: '[1, C] or [C]' });
    if (scores.dims.length === 2 && scores.dims[0] !== 1)
      throw new ModelOutputMismatchError(
        'classification',
        'one float32 [1, C] or [C] output',
        `[${scores.dims.join(', ')}]`,
      );
    const row = scores.data;
    const probabilities =
      this.settings.output === 'probabilities' || (this.settings.output === 'auto' && looksLikeProbabilities(row))
        ? row
        : softmax(row);
    const classes = topK(probabilities, {
      k: this.settings.topK,
      ...(this.settings.labels ? { labels: this.settings.labels } : {}),
    });
    const t4 = performance.now();
    return {
      width: image.width,
      height: image.height,
      classes,
      timings: imageTaskTimings([t0, t1, t2, t3, t4]),
    };
  }
}

/** Opens the model on the backend and device the config names and checks it is an image classifier. */
export async function createClassificationPipeline(config: ClassificationConfig): Promise<ClassificationPipeline> {
  const settings = classificationSettings(config);
  const { labels, decode = {} } = config;
  return openSingleModel(
    config,
    (session) => new ClassificationPipeline(session, { ...settings, ...(labels ? { labels } : {}), decode }),
  );
}
