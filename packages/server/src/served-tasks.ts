import type { BackendRegistry, SessionConfig } from '@polyinfer/core';
import { ConfigError } from '@polyinfer/core';
import { createOcrPipeline } from '@polyinfer/models';
import { createDetectionPipeline } from '@polyinfer/models/detection';
import { createClassificationPipeline } from '@polyinfer/models/classification';
import { ClassificationModel } from './classification-model.js';
import { DetectionModel } from './detection-model.js';
import { OcrModel } from './ocr-model.js';
import type { ServedModel } from './served-model.js';

/** What a task is opened with besides its name and model file. */
export interface ServedTaskContext {
  registry: BackendRegistry;
  session?: SessionConfig;
  /** Image tasks decode images of at most this many pixels, checked from the header before decoding. */
  maxImagePixels: number;
}

/**
 * A task the server can serve as one v2 model (`--model NAME=TASK:path.onnx`, or `NAME=TASK` for a task with a
 * bundled default model). A new task is one entry here and its ServedModel adapter.
 */
export interface ServedTask {
  /** What the model spec's TASK part says, and the help text. */
  readonly describe: string;
  /** Whether `NAME=TASK` with no file opens the task's default models. */
  readonly bundledModel: boolean;
  open(name: string, file: string | undefined, context: ServedTaskContext): Promise<ServedModel>;
}

/** What a task over the user's own model gets to open its pipeline: the model file, the session and decode settings. */
interface UserModelConfig extends SessionConfig {
  model: string;
  registry: BackendRegistry;
  decode: { maxPixels: number };
}

/** A task that serves the user's model file (`NAME=TASK:path.onnx`), named to a remote client and in errors by NAME. */
function userModelTask(
  task: string,
  describe: string,
  open: (config: UserModelConfig, name: string) => Promise<ServedModel>,
): ServedTask {
  return {
    describe,
    bundledModel: false,
    open(name, file, context) {
      if (file === undefined)
        throw new ConfigError(`the ${task} task needs the model file: ${name}=${task}:path/to/model.onnx`, { name });
      const session = context.session ?? {};
      const config = {
        ...session,
        options: { ...session.options, modelName: name },
        model: file,
        registry: context.registry,
        decode: { maxPixels: context.maxImagePixels },
      };
      return open(config, name);
    },
  };
}

export const SERVED_TASKS: Readonly<Record<string, ServedTask>> = {
  ocr: {
    describe: 'the PP-OCR pipeline (text, confidence and box per line)',
    bundledModel: true,
    async open(name, file, context) {
      if (file !== undefined)
        throw new ConfigError(
          `the ocr task runs the bundled PP-OCR models; "${name}=ocr:${file}" names a file it would not read`,
          { name },
        );
      return new OcrModel(
        name,
        await createOcrPipeline({
          ...context.session,
          registry: context.registry,
          decode: { maxPixels: context.maxImagePixels },
        }),
      );
    },
  },
  detect: userModelTask(
    'detect',
    'a YOLO-family detector (boxes, scores and classes per detection)',
    async (config, name) => new DetectionModel(name, await createDetectionPipeline(config)),
  ),
  classify: userModelTask(
    'classify',
    'an image classifier (the top 5 classes: scores and indices)',
    async (config, name) => new ClassificationModel(name, await createClassificationPipeline(config)),
  ),
};

/** `TASK` or `TASK:file` when TASK names a served task; undefined for a plain model file. */
export function taskOfSpec(target: string): { task: string; file: string | undefined } | undefined {
  const match = /^([a-z][a-z0-9-]*)(?::(.*))?$/s.exec(target);
  const task = match?.[1];
  if (task === undefined || !Object.hasOwn(SERVED_TASKS, task)) return undefined;
  const file = match?.[2];
  return { task, file: file === undefined || file === '' ? undefined : file };
}
