import type { ModelFile } from '../resolvers/model-file.js';
import { resolveModelFile } from '../resolvers/resolve-model-file.js';
import { loadDictionary } from './load-dictionary.js';
import type { OcrConfig } from './ocr-config.js';
import { ocrModels } from './ocr-config.js';
import type { OcrPipeline } from './ocr-pipeline.js';
import { createOcrPipelineFrom } from './ocr-pipeline.js';
import { prepareOcrVariant } from './ocr-model-variants.js';

/**
 * Builds the PP-OCR pipeline in Node: resolves the model files (npm package, path or cache), checks their sha256,
 * and opens the variant the config asks for (simplified by default; see OcrModelVariant).
 */
export async function createOcrPipeline(config: OcrConfig = {}): Promise<OcrPipeline> {
  const models = ocrModels(config);
  const [det, rec, cls, dictionaryPath] = await Promise.all([
    resolveModelFile(models.det.model, config.resolve),
    resolveModelFile(models.rec.model, config.resolve),
    models.cls ? resolveModelFile(models.cls.model, config.resolve) : undefined,
    resolveModelFile(models.rec.assets?.dictionary as ModelFile, config.resolve),
  ]);
  const dictionary = await loadDictionary(dictionaryPath);
  const sources = await prepareOcrVariant(
    cls === undefined ? { det, rec, dictionary } : { det, rec, cls, dictionary },
    config,
  );
  return createOcrPipelineFrom(sources, config);
}
