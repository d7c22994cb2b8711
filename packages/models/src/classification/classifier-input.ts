import type { Tensor } from '@polyinfer/core';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import { cropImage, imageToTensor, resizeLinear } from '@polyinfer/preprocess/portable';
import type { ClassificationSettings } from './classification-config.js';

/**
 * An image → a classifier's input: scaled (shorter side to size / cropRatio, then the centre crop; or stretched to
 * the size), normalised, in the model's layout (NCHW, or NHWC for models exported from TensorFlow).
 */
export function classifierInput(
  image: RgbImage,
  size: { width: number; height: number },
  layout: 'nchw' | 'nhwc',
  settings: ClassificationSettings,
): Tensor<'float32'> {
  let fitted: RgbImage;
  if (settings.resize === 'stretch') fitted = resizeLinear(image, size.width, size.height);
  else {
    // The shorter side to the crop's side / ratio, aspect kept, then the centre of it.
    const scale = Math.max(size.width, size.height) / settings.cropRatio / Math.min(image.width, image.height);
    const width = Math.max(size.width, Math.round(image.width * scale));
    const height = Math.max(size.height, Math.round(image.height * scale));
    const resized = resizeLinear(image, width, height);
    fitted = cropImage(
      resized,
      Math.floor((width - size.width) / 2),
      Math.floor((height - size.height) / 2),
      size.width,
      size.height,
    );
  }
  return imageToTensor(fitted, { ...settings.normalize, layout }) as Tensor<'float32'>;
}
