// @polyinfer/models/classification: image classification with the ONNX model the user brings, Node and browsers.
export type { ClassificationConfig } from './classification-config.js';
export { CLASSIFICATION_DEFAULTS, IMAGENET_NORMALIZE } from './classification-config.js';
export type { ClassificationResult, ClassificationTimings } from './classification-result.js';
export { classifierInput } from './classifier-input.js';
export { ClassificationPipeline, createClassificationPipeline } from './classification-pipeline.js';
export type { ClassScore } from '../decoders/top-k-decoder.js';
