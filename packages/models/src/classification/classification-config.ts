import type { BackendRegistry, ModelSource, SessionConfig } from '@polyinfer/core';
import { ConfigError } from '@polyinfer/core';
import type { DecodeOptions, NormalizeOptions } from '@polyinfer/preprocess/portable';

export interface ClassificationConfig extends SessionConfig {
  /** The user's ONNX image classifier: a path (Node), a URL (browsers) or its bytes. */
  model: ModelSource;
  registry?: BackendRegistry;
  /** Class names by index (e.g. ImageNet's 1,000); without them a class's label is its index. */
  labels?: readonly string[];
  /** How many classes to return, best first (default 5). */
  topK?: number;
  /**
   * `crop` (default): scale so the shorter side is the input size / `cropRatio`, then take the centre (torchvision's
   * ImageNet evaluation); `stretch`: scale straight to the input size, aspect not kept.
   */
  resize?: 'crop' | 'stretch';
  /** The share of the resized image the centre crop keeps (default 0.875: 256 → 224). */
  cropRatio?: number;
  /** Scaling, per-channel mean and std, channel order (default ImageNet's: 1/255, mean 0.485/0.456/0.406, std 0.229/0.224/0.225, RGB). */
  normalize?: Omit<NormalizeOptions, 'layout'>;
  /** What the output holds (default 'auto': probabilities when every row is in [0, 1] and sums to 1, else logits, softmaxed). */
  output?: 'auto' | 'logits' | 'probabilities';
  /** The square input size for a model whose input height and width are dynamic (default 224). */
  inputSize?: number;
  decode?: DecodeOptions;
}

/** ImageNet's normalisation, which most published classifiers expect. */
export const IMAGENET_NORMALIZE = {
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  channelOrder: 'rgb',
} as const satisfies NormalizeOptions;

export const CLASSIFICATION_DEFAULTS = {
  topK: 5,
  resize: 'crop',
  cropRatio: 0.875,
  output: 'auto',
  inputSize: 224,
} as const;

export interface ClassificationSettings {
  topK: number;
  resize: 'crop' | 'stretch';
  cropRatio: number;
  output: 'auto' | 'logits' | 'probabilities';
  inputSize: number;
  normalize: Omit<NormalizeOptions, 'layout'>;
}

/** The config's settings with defaults, each checked. */
export function classificationSettings(config: ClassificationConfig): ClassificationSettings {
  const settings: ClassificationSettings = {
    topK: config.topK ?? CLASSIFICATION_DEFAULTS.topK,
    resize: config.resize ?? CLASSIFICATION_DEFAULTS.resize,
    cropRatio: config.cropRatio ?? CLASSIFICATION_DEFAULTS.cropRatio,
    output: config.output ?? CLASSIFICATION_DEFAULTS.output,
    inputSize: config.inputSize ?? CLASSIFICATION_DEFAULTS.inputSize,
    normalize: config.normalize ?? IMAGENET_NORMALIZE,
  };
  for (const key of ['topK', 'inputSize'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 1)
      throw new ConfigError(`${key} is a whole number, 1 or more; got ${settings[key]}`, { option: key });
  }
  if (!(settings.cropRatio > 0 && settings.cropRatio <= 1))
    throw new ConfigError(`cropRatio is in (0, 1]; got ${settings.cropRatio}`, { option: 'cropRatio' });
  if (!['crop', 'stretch'].includes(settings.resize))
    throw new ConfigError(`resize is crop or stretch; got "${String(settings.resize)}"`, { option: 'resize' });
  if (!['auto', 'logits', 'probabilities'].includes(settings.output))
    throw new ConfigError(`output is auto, logits or probabilities; got "${String(settings.output)}"`, {
      option: 'output',
    });
  return settings;
}
