import type { BackendRegistry, ModelSource, SessionConfig } from '@polyinfer/core';
import { ConfigError } from '@polyinfer/core';
import type { DecodeOptions } from '@polyinfer/preprocess/portable';
import type { DetectionFormat } from './detection-format.js';
import { DETECTION_FORMATS } from './detection-format.js';

export interface DetectionConfig extends SessionConfig {
  /** The user's YOLO-family ONNX model: a path (Node), a URL (browsers) or its bytes. */
  model: ModelSource;
  registry?: BackendRegistry;
  /** Class names by class id (e.g. COCO's 80); without them a detection's label is its class id. */
  labels?: readonly string[];
  /** Detections scoring below this are dropped (default 0.25). */
  scoreThreshold?: number;
  /** Of two boxes of a class overlapping more than this (intersection over union), the lower-scoring goes (default 0.45). */
  iouThreshold?: number;
  maxDetections?: number;
  /** Suppress overlapping boxes whatever their classes (default: only within a class). */
  classAgnostic?: boolean;
  /** The output's layout; by default read from its shape (see detectionFormatOf). */
  format?: DetectionFormat | 'auto';
  /** The square input size for a model whose input height and width are dynamic (default 640). */
  inputSize?: number;
  /** Boxes above the score threshold handed to NMS at most, best first (default 30,000). */
  maxCandidates?: number;
  decode?: DecodeOptions;
}

export const DETECTION_DEFAULTS = {
  scoreThreshold: 0.25,
  iouThreshold: 0.45,
  maxDetections: 300,
  classAgnostic: false,
  inputSize: 640,
  maxCandidates: 30_000,
} as const;

export type DetectionSettings = Required<Pick<DetectionConfig, keyof typeof DETECTION_DEFAULTS>> & {
  format: DetectionFormat | 'auto';
};

/** The config's settings with defaults, each checked: a threshold outside [0, 1] is a mistake, not a filter. */
export function detectionSettings(config: DetectionConfig): DetectionSettings {
  const settings = {
    scoreThreshold: config.scoreThreshold ?? DETECTION_DEFAULTS.scoreThreshold,
    iouThreshold: config.iouThreshold ?? DETECTION_DEFAULTS.iouThreshold,
    maxDetections: config.maxDetections ?? DETECTION_DEFAULTS.maxDetections,
    classAgnostic: config.classAgnostic ?? DETECTION_DEFAULTS.classAgnostic,
    inputSize: config.inputSize ?? DETECTION_DEFAULTS.inputSize,
    maxCandidates: config.maxCandidates ?? DETECTION_DEFAULTS.maxCandidates,
    format: config.format ?? 'auto',
  };
  for (const key of ['scoreThreshold', 'iouThreshold'] as const) {
    const value = settings[key];
    if (!(value >= 0 && value <= 1))
      throw new ConfigError(`${key} is between 0 and 1; got ${value}`, { option: key, value });
  }
  for (const key of ['maxDetections', 'inputSize', 'maxCandidates'] as const) {
    const value = settings[key];
    if (!Number.isInteger(value) || value < 1)
      throw new ConfigError(`${key} is a whole number, 1 or more; got ${value}`, { option: key, value });
  }
  if (settings.format !== 'auto' && !DETECTION_FORMATS.includes(settings.format)) {
    throw new ConfigError(`format is auto, ${DETECTION_FORMATS.join(', ')}; got "${String(settings.format)}"`, {
      option: 'format',
      value: settings.format,
    });
  }
  return settings;
}
