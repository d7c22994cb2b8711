import { currentPlatform } from '@polyinfer/core/platform';
import type { ModelFile } from '../resolvers/model-file.js';
import { parseDictionary } from './dictionary.js';
import type { OcrConfig } from './ocr-config.js';
import { ocrModels } from './ocr-config.js';
import type { OcrPipeline } from './ocr-pipeline.js';
import { createOcrPipelineFrom } from './ocr-pipeline.js';

function urlOf(file: ModelFile, base: string): string {
  const { source } = file;
  if (source.kind === 'url') return source.url;
  const name = source.path.split('/').pop() as string;
  return `${base.endsWith('/') ? base : `${base}/`}${name}`;
}

/** Builds the PP-OCR pipeline in a browser: model files are fetched from `modelBaseUrl` by the backends. */
export async function createOcrPipeline(config: OcrConfig = {}): Promise<OcrPipeline> {
  const base = config.modelBaseUrl ?? '/models/';
  const models = ocrModels(config);
  const dictionaryUrl = urlOf(models.rec.assets?.dictionary as ModelFile, base);
  const dictionary = parseDictionary(new TextDecoder().decode(await currentPlatform.readBytes(dictionaryUrl)));
  const det = urlOf(models.det.model, base);
  const rec = urlOf(models.rec.model, base);
  return createOcrPipelineFrom(models.cls ? { det, rec, cls: urlOf(models.cls.model, base), dictionary } : { det, rec, dictionary }, config);
}
