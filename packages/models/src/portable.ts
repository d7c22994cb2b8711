// Everything that runs anywhere (Node and browsers): the entries add what is platform-specific. The geometry under
// the DB decoder stays internal; detection and classification have subpath entries of their own.
export type { ModelDescriptor, ModelLicense, ModelTask } from './descriptors/model-descriptor.js';
export { PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_MODELS, PPOCR_V4_REC } from './descriptors/ppocr-v4.js';
export type { ModelFile, ModelFileSource } from './resolvers/model-file.js';
export type { ResolveOptions } from './resolvers/resolve-options.js';
export type { ModelsErrorCode } from './resolvers/resolver-errors.js';
export { IntegrityError, ModelNotFoundError } from './resolvers/resolver-errors.js';
export type { DbOptions, DetectionMeta, ProbabilityMap, TextBox } from './decoders/db-postprocess.js';
export { DB_DEFAULTS, DbDecoder, dbPostprocess } from './decoders/db-postprocess.js';
export type { CtcChar, CtcOptions, RecognitionMeta, RecognizedText } from './decoders/ctc-decoder.js';
export {
  CTC_GREEDY_OUTPUT,
  CtcDecoder,
  ctcGreedyDecode,
  decodeGreedySteps,
  spaceClassOf,
} from './decoders/ctc-decoder.js';
export type { AngleMeta, AngleResult } from './decoders/angle-decoder.js';
export { AngleDecoder } from './decoders/angle-decoder.js';
export type { ClassScore, TopKOptions } from './decoders/top-k-decoder.js';
export { softmax, topK, TopKDecoder } from './decoders/top-k-decoder.js';
export { parseDictionary } from './ocr/dictionary.js';
export { sortReadingOrder, sortReadingOrderTurned } from './ocr/reading-order.js';
export type { PageTurn } from './ocr/reading-order.js';
export type { LineBatchOptions, TextLine, TextLineBatch, TextLineMeta } from './ocr/text-line-batch.js';
export { TextLinePreprocessor } from './ocr/text-line-batch.js';
export type { DetectionPreprocessOptions } from './ocr/detection-preprocessor.js';
export { DetectionPreprocessor } from './ocr/detection-preprocessor.js';
export type {
  OcrAlgorithmPart,
  OcrBrowserPart,
  OcrConfig,
  OcrNodePart,
  OcrSessionPart,
  OcrSources,
  OcrStageConfig,
} from './ocr/ocr-config.js';
export { OCR_LAYOUTS, ocrModels, stageSessionConfig } from './ocr/ocr-config.js';
export type { OcrModelVariant } from './ocr/ocr-model-variant.js';
export { OCR_MODEL_VARIANTS } from './ocr/ocr-model-variant.js';
export { OCR_DEFAULTS } from './ocr/ocr-defaults.js';
export type { Box, OcrBlock, OcrLayout, OcrLine, OcrResult, OcrTimings, OcrWord, StageInfo } from './ocr/ocr-result.js';
export type { DetectionSettings, PendingLine } from './ocr/detection-stage.js';
export { DetectionStage } from './ocr/detection-stage.js';
export type { AngleSettings } from './ocr/angle-stage.js';
export { AngleStage } from './ocr/angle-stage.js';
export type { RecognitionSettings } from './ocr/recognition-stage.js';
export { RecognitionStage } from './ocr/recognition-stage.js';
export type { OcrStages } from './ocr/ocr-pipeline.js';
export { createOcrPipelineFrom, OcrPipeline } from './ocr/ocr-pipeline.js';
export type { BatchItem, OcrBatchItem, RunManyOptions } from './run-many.js';
export { runInOrder } from './run-many.js';
export { ModelOutputMismatchError, singleOutput } from './decoders/single-output.js';
export type { OcrModelProgress } from './ocr/ocr-config.js';
export type { ManifestFile, OcrModelManifest } from './web/ocr-model-manifest.js';
export { OCR_MODEL_MANIFEST } from './web/ocr-model-manifest.js';
export type { WebWorkerOcrConfig, WorkerImageInput } from './web/ocr-web-worker-protocol.js';
export type { WorkerLike } from './web/ocr-worker-client.js';
export { OcrWorkerClient, WorkerOcrPipeline, WorkerTaskPipeline } from './web/ocr-worker-client.js';
export type { ImageTaskName } from './image-task/image-task-names.js';
export { IMAGE_TASK_NAMES } from './image-task/image-task-names.js';
