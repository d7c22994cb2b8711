import type { Feeds, RunOptions, SessionIdentity, TensorInfo } from '@polyinfer/core';
import { BaseSession } from '@polyinfer/core';
import type { V2Client } from './v2-client.js';

/** A model on a v2 server: feeds validated here against the server's metadata, then sent; the outputs read back. */
export class RemoteSession extends BaseSession {
  readonly #client: V2Client;
  readonly #model: { name: string; version?: string };
  readonly #ownsClient: boolean;
  readonly #inFlight = new Set<AbortController>();

  constructor(
    identity: SessionIdentity,
    client: V2Client,
    model: { name: string; version?: string },
    readonly inputs: readonly TensorInfo[],
    readonly outputs: readonly TensorInfo[],
    options: { ownsClient: boolean },
  ) {
    super(identity);
    this.#client = client;
    this.#model = model;
    this.#ownsClient = options.ownsClient;
  }

  /** The server and model this session calls. */
  get endpoint(): { server: string; model: string; version?: string } {
    return {
      server: this.#client.server,
      model: this.#model.name,
      ...(this.#model.version ? { version: this.#model.version } : {}),
    };
  }

  protected async runValidated(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    // dispose() cancels what is still in flight, so no request outlives its session.
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    this.#inFlight.add(controller);
    try {
      return await this.#client.infer({
        model: this.#model.name,
        ...(this.#model.version ? { version: this.#model.version } : {}),
        inputs: feeds,
        ...(options.outputNames ? { outputs: options.outputNames } : {}),
        signal,
      });
    } finally {
      this.#inFlight.delete(controller);
    }
  }

  protected async release(): Promise<void> {
    for (const controller of this.#inFlight) controller.abort();
    if (this.#ownsClient) this.#client.close();
  }
}
