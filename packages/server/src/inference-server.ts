import { createHash, timingSafeEqual } from 'node:crypto';
import type { V2ModelMetadata, V2ServerMetadata } from '@polyinfer/backend-remote';
import type { ServedModel, WireTensor } from './served-model.js';
import type { SchedulerOptions } from './model-scheduler.js';
import { ModelScheduler } from './model-scheduler.js';
import { ServerError } from './server-errors.js';

export const SERVER_EXTENSIONS = ['binary_tensor_data', 'statistics'];

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * What the REST and gRPC front ends share: the served models and their queues, metadata, auth, statistics and the
 * shutdown that lets in-flight requests finish.
 */
export class InferenceServer {
  readonly #models = new Map<string, ModelScheduler>();
  readonly #tokenDigest: Buffer | undefined;
  #accepting = true;

  constructor(
    models: readonly ServedModel[],
    scheduling: SchedulerOptions,
    options: { token?: string; version: string },
  ) {
    for (const model of models) this.#models.set(model.name, new ModelScheduler(model, scheduling));
    this.#tokenDigest = options.token ? digest(options.token) : undefined;
    this.version = options.version;
  }

  readonly version: string;

  get modelNames(): string[] {
    return [...this.#models.keys()];
  }

  get accepting(): boolean {
    return this.#accepting;
  }

  /** Every route but the health probes needs the token, when there is one; compared in constant time. */
  authorize(authorization: string | undefined): void {
    if (!this.#tokenDigest) return;
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1] as string), this.#tokenDigest)) {
      throw new ServerError('UNAUTHORIZED', 'this server needs "Authorization: Bearer <token>"');
    }
  }

  serverMetadata(): V2ServerMetadata {
    return { name: 'polyinfer', version: this.version, extensions: SERVER_EXTENSIONS };
  }

  scheduler(name: string, version?: string): ModelScheduler {
    const scheduler = this.#models.get(name);
    if (!scheduler) throw new ServerError('MODEL_NOT_SERVED', `no model "${name}" is served here; served: ${this.modelNames.join(', ')}`, { model: name });
    if (version !== undefined && version !== '' && version !== scheduler.model.version) {
      throw new ServerError('MODEL_NOT_SERVED', `model "${name}" has no version "${version}"; its version is ${scheduler.model.version}`, { model: name, version });
    }
    return scheduler;
  }

  modelMetadata(name: string, version?: string): V2ModelMetadata {
    const { model } = this.scheduler(name, version);
    return { name: model.name, versions: [model.version], platform: model.platform, inputs: [...model.inputs], outputs: [...model.outputs] };
  }

  infer(name: string, version: string | undefined, inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    if (!this.#accepting) return Promise.reject(new ServerError('SHUTTING_DOWN', 'the server is shutting down'));
    return this.scheduler(name, version).submit(inputs, outputs);
  }

  /** Triton's `$stats_model_response` for one model (and version), or all. */
  statistics(name?: string, version?: string): { model_stats: object[] } {
    const schedulers = name === undefined ? [...this.#models.values()] : [this.scheduler(name, version)];
    return { model_stats: schedulers.map((s) => s.stats.toJSON()) };
  }

  /** Stops taking requests, waits for every queued and running one, then disposes the models. */
  async shutdown(): Promise<void> {
    this.#accepting = false;
    await Promise.all([...this.#models.values()].map((s) => s.drained()));
    await Promise.all([...this.#models.values()].map((s) => s.model.dispose()));
  }
}
