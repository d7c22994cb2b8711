import type { Feeds } from './tensor.js';
import type { RunOptions, Session } from './session.js';
import { DisposedError } from './errors.js';

export interface Prepared<M> {
  feeds: Feeds;
  /** Whatever the decoder needs to map outputs back to the input (scales, original size, …). */
  meta: M;
}

export interface Preprocessor<I, M> {
  process(input: I): Prepared<M> | Promise<Prepared<M>>;
  /**
   * Called by the Pipeline once a run and its decoding are over (whether they succeeded or not) with the feeds
   * `process` made: their buffers may be reused for a later input. Sessions copy what they keep of a feed.
   */
  release?(feeds: Feeds): void;
}

export interface Decoder<M, O> {
  decode(outputs: Feeds, meta: M): O | Promise<O>;
}

/** Milliseconds spent in each step. */
export interface StepTimings {
  preprocess: number;
  inference: number;
  decode: number;
  total: number;
}

export interface PipelineResult<O> {
  result: O;
  timings: StepTimings;
}

export interface PipelineSteps<I, M, O> {
  preprocessor: Preprocessor<I, M>;
  session: Session;
  decoder: Decoder<M, O>;
  runOptions?: RunOptions;
  /** Dispose the session with the pipeline (default true). */
  ownsSession?: boolean;
}

/** preprocess → run → decode, with the time of each step. Multi-stage pipelines are plain async code over several. */
export class Pipeline<I, M, O> {
  readonly #steps: PipelineSteps<I, M, O>;
  #disposed = false;

  constructor(steps: PipelineSteps<I, M, O>) {
    this.#steps = steps;
  }

  get session(): Session {
    return this.#steps.session;
  }

  async run(input: I): Promise<PipelineResult<O>> {
    if (this.#disposed) throw new DisposedError('Pipeline');
    const { preprocessor, session, decoder, runOptions } = this.#steps;
    const t0 = performance.now();
    const { feeds, meta } = await preprocessor.process(input);
    const t1 = performance.now();
    try {
      const outputs = await session.run(feeds, runOptions);
      const t2 = performance.now();
      const result = await decoder.decode(outputs, meta);
      const t3 = performance.now();
      return { result, timings: { preprocess: t1 - t0, inference: t2 - t1, decode: t3 - t2, total: t3 - t0 } };
    } finally {
      preprocessor.release?.(feeds);
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#steps.ownsSession !== false) await this.#steps.session.dispose();
  }
}

export function createPipeline<I, M, O>(steps: PipelineSteps<I, M, O>): Pipeline<I, M, O> {
  return new Pipeline(steps);
}
