import { resolve } from 'node:path';
import type { BackendRegistry, SessionConfig } from '@polyinfer/core';
import { ConfigError } from '@polyinfer/core';
import { PPOCR_V4_MODELS, resolveModelFile } from '@polyinfer/models';
import type { ServedModel } from './served-model.js';
import { TensorModel } from './tensor-model.js';
import { SERVED_TASKS, taskOfSpec } from './served-tasks.js';

/** The name the OCR pipeline is served under by default (`ppocr` is short for `ppocr=ocr`). */
export const OCR_MODEL_NAME = 'ppocr';

/** With no `--model`: the three PP-OCR models under their model-set ids, and the OCR pipeline as `ppocr`. */
export const DEFAULT_SERVED_MODELS: readonly string[] = [...PPOCR_V4_MODELS.map((m) => m.id), OCR_MODEL_NAME];

export interface ServedModelSetOptions {
  registry: BackendRegistry;
  /** Each a model-set id, `ppocr`, `name=path.onnx` (tensors in, tensors out) or `name=task:path.onnx` (see SERVED_TASKS). */
  specs?: readonly string[];
  session?: SessionConfig;
  /** Image tasks decode images of at most this many pixels, checked from the header before decoding (default 40 M). */
  maxImagePixels?: number;
}

export const DEFAULT_MAX_IMAGE_PIXELS = 40_000_000;

/** Opens each model to serve on the backend/device the config names; on any failure, closes what was opened. */
export async function loadServedModels(options: ServedModelSetOptions): Promise<ServedModel[]> {
  const specs = options.specs && options.specs.length > 0 ? options.specs : DEFAULT_SERVED_MODELS;
  const context = {
    registry: options.registry,
    maxImagePixels: options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS,
    ...(options.session ? { session: options.session } : {}),
  };
  const opened: ServedModel[] = [];
  const names = new Set<string>();
  try {
    for (const spec of specs) {
      const [name, target] = spec.includes('=')
        ? (spec.split(/=(.*)/s) as [string, string])
        : [spec, spec === OCR_MODEL_NAME ? 'ocr' : undefined];
      if (!/^[\w.-]+$/.test(name))
        throw new ConfigError(`a served model's name is letters, digits, ".", "_" and "-"; got "${name}"`, { name });
      if (names.has(name)) throw new ConfigError(`model "${name}" is named twice`, { name });
      names.add(name);
      const task = target === undefined ? undefined : taskOfSpec(target);
      if (task) {
        opened.push(
          await (SERVED_TASKS[task.task] as (typeof SERVED_TASKS)[string]).open(
            name,
            task.file === undefined ? undefined : resolve(task.file),
            context,
          ),
        );
        continue;
      }
      const descriptor = target === undefined ? PPOCR_V4_MODELS.find((m) => m.id === name) : undefined;
      if (target === undefined && !descriptor)
        throw new ConfigError(
          `"${name}" is neither a model-set id (${DEFAULT_SERVED_MODELS.join(', ')}) nor name=path.onnx nor name=task:path.onnx (tasks: ${Object.keys(SERVED_TASKS).join(', ')})`,
          { name },
        );
      const file = descriptor ? await resolveModelFile(descriptor.model) : resolve(target as string);
      opened.push(
        new TensorModel(
          name,
          await options.registry.createSession(file, {
            ...options.session,
            options: { ...options.session?.options, modelName: name },
          }),
        ),
      );
    }
    return opened;
  } catch (error) {
    await Promise.all(opened.map((m) => m.dispose()));
    throw error;
  }
}
