import { resolve } from 'node:path';
import type { BackendRegistry, SessionConfig } from '@polyinfer/core';
import { ConfigError } from '@polyinfer/core';
import { createOcrPipeline, PPOCR_V4_MODELS, resolveModelFile } from '@polyinfer/models';
import type { ServedModel } from './served-model.js';
import { TensorModel } from './tensor-model.js';
import { OcrModel } from './ocr-model.js';

/** The name the OCR pipeline is served under. */
export const OCR_MODEL_NAME = 'ppocr';

/** With no `--model`: the three PP-OCR models under their model-set ids, and the OCR pipeline as `ppocr`. */
export const DEFAULT_SERVED_MODELS: readonly string[] = [...PPOCR_V4_MODELS.map((m) => m.id), OCR_MODEL_NAME];

export interface ServedModelSetOptions {
  registry: BackendRegistry;
  /** Each a model-set id, `ppocr`, or `name=path.onnx`. */
  specs?: readonly string[];
  session?: SessionConfig;
  /** The OCR model decodes images of at most this many pixels, checked from the header before decoding (default 40 M). */
  maxImagePixels?: number;
}

export const DEFAULT_MAX_IMAGE_PIXELS = 40_000_000;

/** Opens each model to serve on the backend/device the config names; on any failure, closes what was opened. */
export async function loadServedModels(options: ServedModelSetOptions): Promise<ServedModel[]> {
  const specs = options.specs && options.specs.length > 0 ? options.specs : DEFAULT_SERVED_MODELS;
  const opened: ServedModel[] = [];
  const names = new Set<string>();
  try {
    for (const spec of specs) {
      const [name, path] = spec.includes('=') ? (spec.split(/=(.*)/s) as [string, string]) : [spec, undefined];
      if (!/^[\w.-]+$/.test(name)) throw new ConfigError(`a served model's name is letters, digits, ".", "_" and "-"; got "${name}"`, { name });
      if (names.has(name)) throw new ConfigError(`model "${name}" is named twice`, { name });
      names.add(name);
      if (path === undefined && name === OCR_MODEL_NAME) {
        const maxPixels = options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS;
        opened.push(new OcrModel(name, await createOcrPipeline({ ...options.session, registry: options.registry, decode: { maxPixels } })));
        continue;
      }
      const descriptor = path === undefined ? PPOCR_V4_MODELS.find((m) => m.id === name) : undefined;
      if (path === undefined && !descriptor) throw new ConfigError(`"${name}" is neither a model-set id (${DEFAULT_SERVED_MODELS.join(', ')}) nor name=path.onnx`, { name });
      const file = descriptor ? await resolveModelFile(descriptor.model) : resolve(path as string);
      opened.push(new TensorModel(name, await options.registry.createSession(file, { ...options.session, options: { ...options.session?.options, modelName: name } })));
    }
    return opened;
  } catch (error) {
    await Promise.all(opened.map((m) => m.dispose()));
    throw error;
  }
}
