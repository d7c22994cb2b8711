import type * as Ort from 'onnxruntime-web';
import type { Feeds, RunOptions, TensorInfo } from '@polyinfer/core';
import { BaseSession, fromRuntimeTensor, InferenceError, tensorInfoFromRuntime } from '@polyinfer/core';

type OrtModule = typeof Ort;


export class OrtWebSession extends BaseSession {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly #ort: OrtModule;
  readonly #session: Ort.InferenceSession;
  // onnxruntime-web refuses a run while another is in flight on the same session ("Session already started" on
  // some builds): runs are chained here instead of failing.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    ort: OrtModule,
    session: Ort.InferenceSession,
    readonly backend: string,
    readonly device: string,
  ) {
    super();
    this.#ort = ort;
    this.#session = session;
    this.inputs = session.inputMetadata.map(tensorInfoFromRuntime);
    this.outputs = session.outputMetadata.map(tensorInfoFromRuntime);
  }

  protected runValidated(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    const run = this.#queue.then(() => this.#runNow(feeds, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #runNow(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    const ortFeeds: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new this.#ort.Tensor(t.dtype, t.data, t.dims);
    let results: Ort.InferenceSession.ReturnType;
    try {
      results = options.outputNames ? await this.#session.run(ortFeeds, [...options.outputNames]) : await this.#session.run(ortFeeds);
    } catch (error) {
      throw new InferenceError(this.backend, this.device, error);
    }
    const outputs: Feeds = {};
    for (const [name, value] of Object.entries(results)) {
      // Outputs live in CPU memory (the default output location), also with WebGPU.
      outputs[name] = fromRuntimeTensor(value);
    }
    return outputs;
  }

  protected async release(): Promise<void> {
    await this.#queue;
    await this.#session.release();
  }
}
