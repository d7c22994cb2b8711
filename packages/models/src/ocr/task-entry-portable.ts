// What both entries of @polyinfer/models/ocr share: the OCR task's config, results, pipeline and defaults.
export type {
  OcrAlgorithmPart,
  OcrBrowserPart,
  OcrConfig,
  OcrModelProgress,
  OcrNodePart,
  OcrSessionPart,
  OcrSources,
  OcrStageConfig,
} from './ocr-config.js';
export type { OcrModelVariant } from './ocr-model-variant.js';
export { OCR_MODEL_VARIANTS } from './ocr-model-variant.js';
export { OCR_DEFAULTS } from './ocr-defaults.js';
export type { Box, OcrBlock, OcrLayout, OcrLine, OcrResult, OcrTimings, OcrWord, StageInfo } from './ocr-result.js';
export type { OcrStages } from './ocr-pipeline.js';
export { createOcrPipelineFrom, OcrPipeline } from './ocr-pipeline.js';
export type { OcrBatchItem, RunManyOptions } from '../run-many.js';
