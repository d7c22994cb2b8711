import type { RgbImage } from '@polyinfer/preprocess/portable';
import { writeRgba } from './rgba-pixels.js';

/**
 * A rendered page's pixels as ImageData: what a page hands to an OCR pipeline in a Web Worker (`WorkerOcrPipeline.run`
 * takes ImageData, and its buffer crosses without being encoded again).
 */
export function pageImageData(image: RgbImage): ImageData {
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  writeRgba(image, rgba);
  return new ImageData(rgba, image.width, image.height);
}
