import type { OcrResult } from './ocr/ocr-result.js';

/** One input of a batch: its result, or the error that input alone ran into (the others still run). */
export type BatchItem<I, R> = { index: number; input: I; result: R } | { index: number; input: I; error: Error };

/** One image of an OCR batch. */
export type OcrBatchItem<I> = BatchItem<I, OcrResult>;

export interface RunManyOptions {
  /**
   * Images in flight at once (default 2): while one is in a model, the next is decoded, cropped or decoded from
   * the model's outputs — work that would otherwise leave the runtime's threads idle.
   */
  inFlight?: number;
  /** After each image, in the order they finish. */
  onProgress?: (done: number, total: number) => void;
  /** Stops starting new images; the ones in flight finish and are yielded. */
  signal?: AbortSignal;
}

/**
 * Runs `run` over `inputs` with a few in flight and yields every outcome in input order. An image that fails is
 * yielded with its error and the batch goes on: no image's result is lost to another's failure.
 */
export async function* runInOrder<I, R = OcrResult>(
  inputs: Iterable<I>,
  run: (input: I) => Promise<R>,
  options: RunManyOptions = {},
): AsyncGenerator<BatchItem<I, R>> {
  const list = [...inputs];
  const inFlight = Math.max(1, Math.floor(options.inFlight ?? 2));
  const pending = new Map<number, Promise<BatchItem<I, R>>>();
  let done = 0;
  let next = 0;
  const start = (): void => {
    if (next >= list.length || options.signal?.aborted) return;
    const index = next++;
    const input = list[index] as I;
    const item = run(input).then(
      (result): BatchItem<I, R> => ({ index, input, result }),
      (error: unknown): BatchItem<I, R> => ({
        index,
        input,
        error: error instanceof Error ? error : new Error(String(error)),
      }),
    );
    pending.set(
      index,
      item.then((outcome) => {
        options.onProgress?.(++done, list.length);
        return outcome;
      }),
    );
  };
  for (let i = 0; i < inFlight; i++) start();
  for (let index = 0; index < list.length; index++) {
    const item = pending.get(index);
    if (!item) return; // aborted before this image started
    const outcome = await item;
    pending.delete(index);
    start();
    yield outcome;
  }
}
