import type { Feeds, RunOptions, SessionIdentity, TensorInfo } from '@polyinfer/core';
import { BaseSession, InferenceError } from '@polyinfer/core';
import type { OrtInferenceSession, OrtRuntime } from './ort-runtime.js';
import { feedsToOrt, outputsFromOrt, tensorInfoFromOrt } from './ort-tensors.js';

/**
 * A polyinfer session over an onnxruntime session (node or web): feeds in without copies, run, a typed error,
 * outputs out. `queued` chains runs one after another, for builds that refuse a run while another is in flight.
 */
export class OrtSession extends BaseSession {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly #ort: OrtRuntime;
  readonly #session: OrtInferenceSession;
  readonly #queued: boolean;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(identity: SessionIdentity, ort: OrtRuntime, session: OrtInferenceSession, options: { queued: boolean }) {
    super(identity);
    this.#ort = ort;
    this.#session = session;
    this.#queued = options.queued;
    this.inputs = session.inputMetadata.map(tensorInfoFromOrt);
    this.outputs = session.outputMetadata.map(tensorInfoFromOrt);
  }

  protected runValidated(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    if (!this.#queued) return this.#runNow(feeds, options);
    const run = this.#queue.then(() => this.#runNow(feeds, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #runNow(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    const ortFeeds = feedsToOrt(this.#ort, feeds);
    try {
      const results = options.outputNames
        ? await this.#session.run(ortFeeds, [...options.outputNames])
        : await this.#session.run(ortFeeds);
      return outputsFromOrt(results);
    } catch (error) {
      throw new InferenceError(this.backend, this.device, error);
    }
  }

  protected async release(): Promise<void> {
    await this.#queue;
    await this.#session.release();
  }
}
