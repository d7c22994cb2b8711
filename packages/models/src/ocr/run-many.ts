import type { OcrResult } from './ocr-result.js';

/** One image of a batch: its result, or the error that image alone ran into (the others still run). */
export type OcrBatchItem<I> = { index: number; input: I; result: OcrResult } | { index: number; input: I; error: Error };

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
export async function* runInOrder<I>(inputs: Iterable<I>, run: (input: I) => Promise<OcrResult>, options: RunManyOptions = {}): AsyncGenerator<OcrBatchItem<I>> {
  const list = [...inputs];
  const inFlight = Math.max(1, Math.floor(options.inFlight ?? 2));
  const pending = new Map<number, Promise<OcrBatchItem<I>>>();
  let done = 0;
  let next = 0;
  const start = (): void => {
    if (next >= list.length || options.signal?.aborted) return;
    const index = next++;
    const input = list[index] as I;
    const item = run(input).then(
      (result): OcrBatchItem<I> => ({ index, input, result }),
      (error: unknown): OcrBatchItem<I> => ({ index, input, error: error instanceof Error ? error : new Error(String(error)) }),
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
