import type { Feeds, Prepared, Preprocessor } from '@polyinfer/core';
import type { NormalizeOptions, RgbImage } from '@polyinfer/preprocess';
import {
  Float32BufferPool,
  imageToTensor,
  limitSideSize,
  resizeLinear,
  ScratchBytes,
} from '@polyinfer/preprocess/portable';
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
  // Input tensors are written into kept buffers (see Float32BufferPool), handed back by the Pipeline after each run.
  readonly #buffers = new Float32BufferPool();
  // The resized image only lives until it is written into the tensor: its bytes are kept for the next image.
  readonly #resized = new ScratchBytes();

  constructor(private readonly options: DetectionPreprocessOptions) {}

  async process(image: RgbImage): Promise<Prepared<DetectionMeta>> {
    const { limitSideLen, limitType, multiple, normalize, inputName } = this.options;
    const size = limitSideSize(image.width, image.height, { limitSideLen, limitType, multiple });
    const same = size.width === image.width && size.height === image.height;
    const resized = same
      ? image
      : resizeLinear(image, size.width, size.height, this.#resized.take(size.width * size.height * 3));
    const tensor = imageToTensor(resized, normalize, this.#buffers.take(resized.width * resized.height * 3));
    return { feeds: { [inputName]: tensor }, meta: { imageWidth: image.width, imageHeight: image.height } };
  }

  release(feeds: Feeds): void {
    for (const tensor of Object.values(feeds)) this.#buffers.give(tensor.data as Float32Array);
  }
}
