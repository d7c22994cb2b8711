import type { Feeds, Prepared, Preprocessor } from '@polyinfer/core';
import { Tensor } from '@polyinfer/core';
import type { NormalizeOptions, Quad, RgbImage } from '@polyinfer/preprocess/portable';
import { Float32BufferPool, ScratchBytes, warpQuad, writeChw } from '@polyinfer/preprocess/portable';

/** A crop larger than this (a very long line at its natural width) is not kept for the next batch. */
const SCRATCH_KEEP_BYTES = 4 << 20;

export interface TextLine {
  /** Corners, clockwise from the one that becomes the crop's top-left. */
  quad: Quad;
  /** Width ÷ height of the upright crop. */
  aspect: number;
}

export interface TextLineBatch {
  image: RgbImage;
  lines: readonly TextLine[];
}

export interface LineBatchOptions {
  height: number;
  /** Fixed tensor width (the angle classifier's 192); absent: the widest line of the batch decides. */
  width?: number;
  /**
   * With a fixed width: a line wider than it is read as up to this many windows of that width at its natural
   * aspect (left, middle, right) instead of being squeezed — PaddleOCR squeezes, and its angle classifier then
   * misjudges long lines. The meta's `owners` says which line each row belongs to.
   */
  windows?: number;
  /**
   * Width of a line's crop relative to its natural aspect at `height` (1: aspect kept). Below 1 the line is squeezed
   * horizontally: the recogniser's cost follows the width, and printed text has columns to spare per character.
   */
  widthScale?: number;
  /** With a batch-decided width: never narrower than this. */
  minWidth?: number;
  /** Round a batch-decided width up to a multiple of this (fewer distinct shapes for the runtime). */
  widthMultiple?: number;
  normalize: NormalizeOptions;
  /** The model's input name. */
  inputName: string;
}

/**
 * Text lines → one [N, 3, H, W] tensor: each line warped from the original image straight to height H and its own
 * width (aspect kept, capped at W), normalised into its slot, right-padded with zeros.
 */
export interface TextLineMeta {
  /** Number of lines. */
  count: number;
  /** The line each tensor row belongs to (several rows per line with `windows`). */
  owners: number[];
}

export class TextLinePreprocessor implements Preprocessor<TextLineBatch, TextLineMeta> {
  // Batch tensors are written into kept buffers (see Float32BufferPool), handed back by the Pipeline after each run.
  readonly #buffers = new Float32BufferPool();
  // Crops live only until they are written into the batch: their pixels go through kept arrays.
  readonly #warped = new ScratchBytes(SCRATCH_KEEP_BYTES);
  readonly #window = new ScratchBytes(SCRATCH_KEEP_BYTES);

  constructor(private readonly options: LineBatchOptions) {}

  /** Columns of the line's crop in its tensor row (the rest of the row is padding). */
  naturalWidth(line: TextLine): number {
    return Math.max(1, Math.ceil(this.options.height * line.aspect * (this.options.widthScale ?? 1)));
  }

  tensorWidth(lines: readonly TextLine[]): number {
    const { width, minWidth = 0, widthMultiple = 1 } = this.options;
    if (width !== undefined) return width;
    const widest = Math.max(...lines.map((l) => this.naturalWidth(l)), minWidth, 1);
    return Math.ceil(widest / widthMultiple) * widthMultiple;
  }

  process({ image, lines }: TextLineBatch): Prepared<TextLineMeta> {
    const { height, normalize } = this.options;
    const windows = Math.max(1, this.options.windows ?? 1);
    const width = this.tensorWidth(lines);
    const naturals = lines.map((line) => this.naturalWidth(line));
    // Rows per line: one, or up to `windows` for a line wider than a fixed width.
    const counts = naturals.map((natural) => Math.min(windows, Math.ceil(natural / width)));
    const rows = counts.reduce((sum, count) => sum + count, 0);
    const plane = 3 * height * width;
    // Zeroed: rows narrower than the batch are right-padded with zeros.
    const data = this.#buffers.take(rows * plane, true);
    const owners: number[] = [];
    // Each crop is written into the tensor as soon as it is warped, so one kept array holds them all in turn.
    const write = (row: RgbImage): void => {
      writeChw(row, data, { ...normalize, offset: owners.length * plane, rowStride: width });
    };
    lines.forEach((line, index) => {
      const natural = naturals[index] as number;
      const count = counts[index] as number;
      if (count === 1) {
        const w = Math.min(width, natural);
        write(warpQuad(image, line.quad, w, height, this.#warped.take(w * height * 3)));
        owners.push(index);
        return;
      }
      const full = warpQuad(image, line.quad, natural, height, this.#warped.take(natural * height * 3));
      for (let k = 0; k < count; k++) {
        write(
          cropColumns(
            full,
            Math.round((k * (natural - width)) / (count - 1)),
            width,
            this.#window.take(width * height * 3),
          ),
        );
        owners.push(index);
      }
    });
    this.#warped.trim();
    return {
      feeds: { [this.options.inputName]: new Tensor('float32', data, [rows, 3, height, width]) },
      meta: { count: lines.length, owners },
    };
  }

  release(feeds: Feeds): void {
    for (const tensor of Object.values(feeds)) this.#buffers.give(tensor.data as Float32Array);
  }
}

function cropColumns(image: RgbImage, left: number, width: number, data: Uint8Array): RgbImage {
  for (let y = 0; y < image.height; y++) {
    const start = (y * image.width + left) * 3;
    data.set(image.data.subarray(start, start + width * 3), y * width * 3);
  }
  return { data, width, height: image.height };
}
