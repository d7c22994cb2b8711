import type { ImageInput } from '@polyinfer/preprocess';
import { createClassificationPipeline } from '../classification/classification-pipeline.js';
import type { ClassificationConfig } from '../classification/classification-config.js';
import { createDetectionPipeline } from '../detection/detection-pipeline.js';
import type { DetectionConfig } from '../detection/detection-config.js';
import type { ImageTaskName } from './image-task-names.js';
import type { SingleModelPipeline } from './single-model-pipeline.js';

/** A one-model task's pipeline as a worker holds it: runs, dispose, and where it runs. */
export interface OpenedTask {
  run(input: ImageInput): Promise<unknown>;
  dispose(): Promise<void>;
  info: { backend: string; device: string };
}

const opened = (pipeline: SingleModelPipeline<unknown>): OpenedTask => ({
  run: (input) => pipeline.run(input),
  dispose: () => pipeline.dispose(),
  info: { backend: pipeline.session.backend, device: pipeline.session.device },
});

/**
 * The one-model image tasks by name, each opened from its config as it crossed to a worker (structured data; the
 * worker adds its registry): what the Node worker threads and the Web Worker both serve besides OCR.
 */
export const SINGLE_MODEL_TASKS: Readonly<
  Record<Exclude<ImageTaskName, 'ocr'>, (config: object) => Promise<OpenedTask>>
> = {
  detect: async (config) => opened(await createDetectionPipeline(config as DetectionConfig)),
  classify: async (config) => opened(await createClassificationPipeline(config as ClassificationConfig)),
};
