import type { BackendRegistry, ModelSource, Session, SessionConfig } from '@polyinfer/core';
import { defaultRegistry, DisposedError } from '@polyinfer/core';
import type { ImageInput } from '@polyinfer/preprocess';
import type { BatchItem, RunManyOptions } from '../run-many.js';
import { runInOrder } from '../run-many.js';

/**
 * What the one-model image tasks (detection, classification) share: a session of the user's model, one image per
 * `run`, many images through `stream` (a few in flight, outcomes in input order), and dispose.
 */
export abstract class SingleModelPipeline<R> {
  #disposed = false;

  constructor(
    readonly session: Session,
    private readonly kind: string,
  ) {}

  protected abstract runImage(input: ImageInput): Promise<R>;

  run(input: ImageInput): Promise<R> {
    if (this.#disposed) return Promise.reject(new DisposedError(this.kind));
    return this.runImage(input);
  }

  /** Many images, a few in flight, outcomes in input order; an image that fails comes with its error. */
  stream<I extends ImageInput>(inputs: Iterable<I>, options: RunManyOptions = {}): AsyncGenerator<BatchItem<I, R>> {
    if (this.#disposed) throw new DisposedError(this.kind);
    return runInOrder(inputs, (input) => this.run(input), options);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.session.dispose();
  }
}

/** The session part of a task's config. */
export interface SingleModelConfig extends SessionConfig {
  model: ModelSource;
  registry?: BackendRegistry;
}

/**
 * Opens the model on the backend and device the config names and wraps it; when the wrapper refuses the model (not
 * an image model of its kind), the session is closed before the error goes up.
 */
export async function openSingleModel<P>(config: SingleModelConfig, wrap: (session: Session) => P): Promise<P> {
  // The config is a SessionConfig too: the registry reads its backend, devices, strictness and options.
  const session = await (config.registry ?? defaultRegistry).createSession(config.model, config);
  try {
    return wrap(session);
  } catch (error) {
    await session.dispose();
    throw error;
  }
}
