// @polyinfer/models/detection: object detection with the YOLO-family model the user brings, Node and browsers.
export type { BoxXyxy, Detection, DetectionResult, DetectionTimings } from './detection-result.js';
export type { DetectionConfig } from './detection-config.js';
export { DETECTION_DEFAULTS } from './detection-config.js';
export type { DetectionFormat } from './detection-format.js';
export { DETECTION_FORMATS, detectionFormatOf } from './detection-format.js';
export type { LetterboxPlacement } from './letterbox.js';
export { Letterbox, LETTERBOX_GREY, unletterbox } from './letterbox.js';
export type { NmsOptions, ScoredBox } from './non-max-suppression.js';
export { intersectionOverUnion, nonMaxSuppression } from './non-max-suppression.js';
export { createDetectionPipeline, DetectionPipeline } from './detection-pipeline.js';
