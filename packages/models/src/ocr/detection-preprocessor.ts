import type { Prepared, Preprocessor } from '@polyinfer/core';
import type { NormalizeOptions, RgbImage } from '@polyinfer/preprocess';
import { imageToTensor, limitSideSize, resizeLinear } from '@polyinfer/preprocess/portable';
import type { DetectionMeta } from '../decoders/db-postprocess.js';

export interface DetectionPreprocessOptions {
  limitSideLen: number;
  limitType: 'max' | 'min';
  multiple: number;
  normalize: NormalizeOptions;
  inputName: string;
}

/**
 * Decoded image → DB input: resized by the side limit to multiples of 32, normalised, NCHW. The resize is polyinfer's
 * own (integer triangle filter), so Node and browsers feed the detector the same tensor for the same pixels.
 */
export class DetectionPreprocessor implements Preprocessor<RgbImage, DetectionMeta> {
  constructor(private readonly options: DetectionPreprocessOptions) {}

  async process(image: RgbImage): Promise<Prepared<DetectionMeta>> {
    const { limitSideLen, limitType, multiple, normalize, inputName } = this.options;
    const size = limitSideSize(image.width, image.height, { limitSideLen, limitType, multiple });
    const resized = resizeLinear(image, size.width, size.height);
    return { feeds: { [inputName]: imageToTensor(resized, normalize) }, meta: { imageWidth: image.width, imageHeight: image.height } };
  }
}
