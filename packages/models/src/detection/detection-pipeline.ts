import type { Session } from '@polyinfer/core';
import type { DecodeOptions, ImageInput } from '@polyinfer/preprocess';
import { decodeImage } from '@polyinfer/preprocess';
import { singleOutput } from '../decoders/single-output.js';
import { fixedDim, imageTaskTimings, singleImageInput } from '../image-task/image-task-input.js';
import { openSingleModel, SingleModelPipeline } from '../image-task/single-model-pipeline.js';
import type { DetectionConfig, DetectionSettings } from './detection-config.js';
import { detectionSettings } from './detection-config.js';
import type { DetectionFormat } from './detection-format.js';
import { checkDetectionFormat, detectionFormatOf } from './detection-format.js';
import type { Detection, DetectionResult } from './detection-result.js';
import { Letterbox, unletterbox } from './letterbox.js';
import { nonMaxSuppression } from './non-max-suppression.js';
import { yoloCandidates } from './yolo-candidates.js';

/**
 * Object detection with a YOLO-family model: decode → letterbox → the model → boxes above the score threshold →
 * non-maximum suppression (per class unless class-agnostic; none for end-to-end exports, which did it) → boxes in
 * the original image's pixels.
 */
export class DetectionPipeline extends SingleModelPipeline<DetectionResult> {
  readonly #letterbox: Letterbox;
  readonly #inputName: string;

  constructor(
    session: Session,
    private readonly settings: DetectionSettings & { labels?: readonly string[]; decode: DecodeOptions },
  ) {
    super(session, 'DetectionPipeline');
    const input = singleImageInput(session, 'a detection model', '[1, 3, H, W]', () => 1);
    this.#inputName = input.name;
    this.#letterbox = new Letterbox(
      fixedDim(input.dims[3]) ?? settings.inputSize,
      fixedDim(input.dims[2]) ?? settings.inputSize,
    );
  }

  /** The model's input size (width, height) images are letterboxed to. */
  get inputSize(): { width: number; height: number } {
    return { width: this.#letterbox.width, height: this.#letterbox.height };
  }

  protected async runImage(input: ImageInput): Promise<DetectionResult> {
    const t0 = performance.now();
    const image = await decodeImage(input, this.settings.decode);
    const t1 = performance.now();
    const placement = this.#letterbox.place(image);
    const tensor = this.#letterbox.toTensor(image, placement);
    const t2 = performance.now();
    let outputs;
    try {
      outputs = await this.session.run({ [this.#inputName]: tensor });
    } finally {
      this.#letterbox.release(tensor);
    }
    const t3 = performance.now();
    const output = singleOutput(outputs, 'YOLO detection', {
      ranks: [3],
      shape: '[1, 4+C, N], [1, N, 5+C] or [1, N, 6]',
    });
    const dims = output.dims as readonly number[];
    const format: DetectionFormat = this.settings.format === 'auto' ? detectionFormatOf(dims) : this.settings.format;
    checkDetectionFormat(format, dims);
    const { scoreThreshold, maxCandidates, iouThreshold, maxDetections, classAgnostic, labels } = this.settings;
    const candidates = yoloCandidates(output.data, dims, format, { scoreThreshold, maxCandidates });
    // End-to-end exports suppressed inside the model: their rows are final, best first as they came.
    const kept =
      format === 'end2end'
        ? candidates.sort((p, q) => q.score - p.score).slice(0, maxDetections)
        : nonMaxSuppression(candidates, { iouThreshold, maxDetections, classAgnostic });
    const detections: Detection[] = kept.map((c) => ({
      box: unletterbox(c.box, placement),
      score: c.score,
      classId: c.classId,
      label: labels?.[c.classId] ?? String(c.classId),
    }));
    const t4 = performance.now();
    return {
      width: image.width,
      height: image.height,
      detections,
      timings: imageTaskTimings([t0, t1, t2, t3, t4]),
    };
  }
}

/** Opens the model on the backend and device the config names and checks it is an image-in detector. */
export async function createDetectionPipeline(config: DetectionConfig): Promise<DetectionPipeline> {
  const settings = detectionSettings(config);
  const { labels, decode = {} } = config;
  return openSingleModel(
    config,
    (session) => new DetectionPipeline(session, { ...settings, ...(labels ? { labels } : {}), decode }),
  );
}
