import { Tensor } from '@polyinfer/core';
import type { RgbImage } from './rgb-image.js';

type Triple = readonly [number, number, number];

export interface NormalizeOptions {
  /** Subtracted after scaling, per tensor channel (in `channelOrder`). Default 0. */
  mean?: Triple;
  /** Divides after the mean, per tensor channel. Default 1. */
  std?: Triple;
  /** Applied to the 0–255 pixel first. Default 1/255. */
  scale?: number;
  /** Channel order in the tensor. PaddleOCR models were trained on OpenCV's BGR. Default "rgb". */
  channelOrder?: 'rgb' | 'bgr';
  /** Default "nchw". */
  layout?: 'nchw' | 'nhwc';
}

interface Affine {
  /** For each tensor channel: which RGB channel it reads, and value = pixel * gain + bias. */
  source: Triple;
  gain: Triple;
  bias: Triple;
}

function affineOf(options: NormalizeOptions): Affine {
  const scale = options.scale ?? 1 / 255;
  const mean = options.mean ?? [0, 0, 0];
  const std = options.std ?? [1, 1, 1];
  const source: Triple = options.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const gain = [0, 1, 2].map((c) => scale / (std[c] as number)) as unknown as Triple;
  const bias = [0, 1, 2].map((c) => -(mean[c] as number) / (std[c] as number)) as unknown as Triple;
  return { source, gain, bias };
}

/**
 * Writes an image, normalised, as CHW planes into `target` at `offset`, each row `rowStride` values wide (≥ the image
 * width: the rest of the row is left as it is, i.e. zero padding in a fresh buffer). Used to batch text lines of
 * different widths into one tensor without intermediate copies.
 */
export function writeChw(
  image: RgbImage,
  target: Float32Array,
  options: NormalizeOptions & { offset?: number; rowStride?: number } = {},
): void {
  const { source, gain, bias } = affineOf(options);
  const { width, height, data } = image;
  const stride = options.rowStride ?? width;
  const plane = stride * height;
  const base = options.offset ?? 0;
  for (let c = 0; c < 3; c++) {
    const s = source[c] as number;
    const g = gain[c] as number;
    const b = bias[c] as number;
    const planeBase = base + c * plane;
    for (let y = 0; y < height; y++) {
      let src = y * width * 3 + s;
      let dst = planeBase + y * stride;
      const end = dst + width;
      for (; dst < end; dst++, src += 3) target[dst] = (data[src] as number) * g + b;
    }
  }
}

/**
 * One image → a [1, 3, H, W] (or [1, H, W, 3]) float32 tensor, written into `into` when given (exactly H × W × 3
 * floats, e.g. from a Float32BufferPool).
 */
export function imageToTensor(image: RgbImage, options: NormalizeOptions = {}, into?: Float32Array): Tensor<'float32'> {
  const { width, height, data } = image;
  if (into !== undefined && into.length !== width * height * 3)
    throw new RangeError(
      `imageToTensor: the buffer holds ${into.length} floats, the image needs ${width * height * 3}`,
    );
  const out = into ?? new Float32Array(width * height * 3);
  if ((options.layout ?? 'nchw') === 'nchw') {
    writeChw(image, out, options);
    return new Tensor('float32', out, [1, 3, height, width]);
  }
  const { source, gain, bias } = affineOf(options);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) {
      out[i * 3 + c] = (data[i * 3 + (source[c] as number)] as number) * (gain[c] as number) + (bias[c] as number);
    }
  }
  return new Tensor('float32', out, [1, height, width, 3]);
}
