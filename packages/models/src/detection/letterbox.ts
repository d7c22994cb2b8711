import { Tensor } from '@polyinfer/core';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import { Float32BufferPool, resizeLinear, ScratchBytes } from '@polyinfer/preprocess/portable';

/** Where the image sits inside the model's input: what maps a box back to the image's pixels. */
export interface LetterboxPlacement {
  imageWidth: number;
  imageHeight: number;
  /** Input pixels per image pixel, per axis (the resized size over the original: equal up to rounding). */
  scaleX: number;
  scaleY: number;
  /** The padding left of and above the image, in input pixels. */
  left: number;
  top: number;
  /** The size the image is resized to inside the input. */
  fitWidth: number;
  fitHeight: number;
}

/** YOLO's padding grey (114 of 255), the value its models were trained to see around a letterboxed image. */
export const LETTERBOX_GREY = 114;

/**
 * Scales the image to fit the input (aspect kept, up or down), centres it, pads the rest with grey, and writes it as
 * an NCHW float32 RGB tensor of values / 255 — the preprocessing Ultralytics' and YOLOv5's exporters assume.
 */
export class Letterbox {
  readonly #resized = new ScratchBytes(16_000_000);
  // Input tensors are written into kept buffers (a fresh multi-megabyte array per image is not free, see
  // Float32BufferPool), each handed back by `release` once its run is over: runs in flight each hold their own.
  readonly #buffers = new Float32BufferPool();

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly pad = LETTERBOX_GREY,
  ) {}

  place(image: RgbImage): LetterboxPlacement {
    const ratio = Math.min(this.width / image.width, this.height / image.height);
    const fitWidth = Math.max(1, Math.round(image.width * ratio));
    const fitHeight = Math.max(1, Math.round(image.height * ratio));
    return {
      imageWidth: image.width,
      imageHeight: image.height,
      scaleX: fitWidth / image.width,
      scaleY: fitHeight / image.height,
      left: Math.floor((this.width - fitWidth) / 2),
      top: Math.floor((this.height - fitHeight) / 2),
      fitWidth,
      fitHeight,
    };
  }

  toTensor(image: RgbImage, placement: LetterboxPlacement): Tensor<'float32'> {
    const { fitWidth, fitHeight } = placement;
    const same = fitWidth === image.width && fitHeight === image.height;
    const fitted = same
      ? image
      : resizeLinear(image, fitWidth, fitHeight, this.#resized.take(fitWidth * fitHeight * 3));
    const plane = this.width * this.height;
    const data = this.#buffers.take(3 * plane).fill(this.pad / 255);
    const pixels = fitted.data;
    for (let y = 0; y < fitHeight; y++) {
      const row = (placement.top + y) * this.width + placement.left;
      let src = y * fitWidth * 3;
      for (let x = 0; x < fitWidth; x++, src += 3) {
        const at = row + x;
        data[at] = (pixels[src] as number) / 255;
        data[plane + at] = (pixels[src + 1] as number) / 255;
        data[2 * plane + at] = (pixels[src + 2] as number) / 255;
      }
    }
    this.#resized.trim();
    return new Tensor('float32', data, [1, 3, this.height, this.width]);
  }

  /** Takes back a tensor `toTensor` made, once the run that read it is over. */
  release(tensor: Tensor<'float32'>): void {
    this.#buffers.give(tensor.data);
  }
}

/** A box in input pixels, mapped back to the image and clipped to it. */
export function unletterbox(
  box: readonly [number, number, number, number],
  placement: LetterboxPlacement,
): [number, number, number, number] {
  const clip = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
  const { left, top, scaleX, scaleY, imageWidth, imageHeight } = placement;
  return [
    clip((box[0] - left) / scaleX, imageWidth),
    clip((box[1] - top) / scaleY, imageHeight),
    clip((box[2] - left) / scaleX, imageWidth),
    clip((box[3] - top) / scaleY, imageHeight),
  ];
}
