import type * as Ort from 'onnxruntime-node';
import type { Feeds, RunOptions, TensorInfo } from '@polyinfer/core';
import { BaseSession, fromRuntimeTensor, InferenceError, tensorInfoFromRuntime } from '@polyinfer/core';

type OrtModule = typeof Ort;


export class OrtNodeSession extends BaseSession {
  readonly backend: string;
  readonly device: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly #ort: OrtModule;
  readonly #session: Ort.InferenceSession;

  constructor(ort: OrtModule, session: Ort.InferenceSession, backend: string, device: string) {
    super();
    this.#ort = ort;
    this.#session = session;
    this.backend = backend;
    this.device = device;
    this.inputs = session.inputMetadata.map(tensorInfoFromRuntime);
    this.outputs = session.outputMetadata.map(tensorInfoFromRuntime);
  }

  protected async runValidated(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    // onnxruntime's Tensor wraps the typed array as it is: no copy on the way in.
    const ortFeeds: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new this.#ort.Tensor(t.dtype, t.data, t.dims);
    let results: Ort.InferenceSession.ReturnType;
    try {
      results = options.outputNames
        ? await this.#session.run(ortFeeds, [...options.outputNames])
        : await this.#session.run(ortFeeds);
    } catch (error) {
      throw new InferenceError(this.backend, this.device, error);
    }
    const outputs: Feeds = {};
    for (const [name, value] of Object.entries(results)) {
      outputs[name] = fromRuntimeTensor(value);
    }
    return outputs;
  }

  protected async release(): Promise<void> {
    await this.#session.release();
  }
}
