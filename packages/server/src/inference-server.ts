import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DeclaredInput, V2ModelMetadata, V2ServerMetadata, WireTensor } from '@polyinfer/v2-protocol';
import { readInput } from '@polyinfer/v2-protocol';
import type { ServedModel } from './served-model.js';
import type { SchedulerOptions } from './model-scheduler.js';
import { ModelScheduler } from './model-scheduler.js';
import { requestByteBound, validateRequest } from './request-validation.js';
import { ServerMetrics } from './server-metrics.js';
import { asCallerError } from './caller-error.js';
import { ServerError } from './server-errors.js';
import { withinDeadline } from './within-deadline.js';
import type { ClientPresence } from './client-presence.js';

export const SERVER_EXTENSIONS = ['binary_tensor_data', 'statistics'];

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface InferenceServerOptions {
  token?: string;
  version: string;
  /** Largest request body (REST) or message (gRPC). */
  maxRequestBytes: number;
  /** Request bytes being read or held at once, over every connection; past it a request gets 503. */
  maxInflightBytes: number;
  /** Where internal failures are logged, one line each with the request id the client was given. */
  log?: (line: string) => void;
}

/**
 * What the REST and gRPC front ends share: the served models and their queues, metadata, auth, validation, the
 * budget of request bytes in flight, statistics and metrics, and the shutdown that lets in-flight requests finish.
 */
export class InferenceServer {
  readonly #models = new Map<string, ModelScheduler>();
  /** Per model: --max-request-mb, or less where the model's shapes bound a request (fixed for the server's life). */
  readonly #requestLimits = new Map<string, number>();
  readonly #tokenDigest: Buffer | undefined;
  readonly #options: InferenceServerOptions;
  readonly metrics = new ServerMetrics();
  #accepting = true;
  #ready = true;
  #inflightBytes = 0;
  readonly #idPrefix = randomUUID().slice(0, 8);
  #requests = 0;

  constructor(models: readonly ServedModel[], scheduling: SchedulerOptions, options: InferenceServerOptions) {
    for (const model of models) {
      const scheduler = new ModelScheduler(model, scheduling, this.metrics.observerFor(model.name, model.version));
      this.#models.set(model.name, scheduler);
      const bound = requestByteBound(model, scheduler.maxRows);
      this.#requestLimits.set(
        model.name,
        bound === undefined ? options.maxRequestBytes : Math.min(bound, options.maxRequestBytes),
      );
    }
    this.#tokenDigest = options.token ? digest(options.token) : undefined;
    this.#options = options;
    this.version = options.version;
  }

  readonly version: string;

  get modelNames(): string[] {
    return [...this.#models.keys()];
  }

  get accepting(): boolean {
    return this.#accepting;
  }

  /** What the readiness probes say: false from the moment a shutdown begins, so balancers stop sending. */
  get ready(): boolean {
    return this.#ready && this.#accepting;
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
    if (!scheduler)
      throw new ServerError(
        'MODEL_NOT_SERVED',
        `no model "${name.slice(0, 200)}" is served here; served: ${this.modelNames.join(', ')}`,
        { model: name.slice(0, 200) },
      );
    if (version !== undefined && version !== '' && version !== scheduler.model.version) {
      throw new ServerError(
        'MODEL_NOT_SERVED',
        `model "${name}" has no version "${version.slice(0, 200)}"; its version is ${scheduler.model.version}`,
        { model: name },
      );
    }
    return scheduler;
  }

  modelMetadata(name: string, version?: string): V2ModelMetadata {
    const { model } = this.scheduler(name, version);
    return {
      name: model.name,
      versions: [model.version],
      platform: model.platform,
      inputs: [...model.inputs],
      outputs: [...model.outputs],
    };
  }

  /** The most bytes a request to this model may take: --max-request-mb, or less where the model's shapes bound it. */
  requestLimit(name: string, version?: string): number {
    return this.#requestLimits.get(this.scheduler(name, version).model.name) as number;
  }

  get maxRequestBytes(): number {
    return this.#options.maxRequestBytes;
  }

  /**
   * Takes `bytes` from the budget of request bytes in flight, or refuses with 503 when it is spent (one request is
   * always let in, so a body under --max-request-mb is never refused on an idle server). Returns the release.
   */
  reserveBytes(bytes: number): () => void {
    if (this.#inflightBytes > 0 && this.#inflightBytes + bytes > this.#options.maxInflightBytes) {
      this.metrics.refused('busy');
      throw new ServerError(
        'SERVER_BUSY',
        `the server is reading ${this.#inflightBytes} bytes of other requests (--max-inflight-mb ${this.#options.maxInflightBytes / 2 ** 20}); try again later`,
      );
    }
    this.#inflightBytes += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inflightBytes -= bytes;
    };
  }

  /**
   * One request, from its declared inputs: validated alone against the model (a 400 never reaches a queue), its
   * data read, then queued. A `presence` that ends while the request waits takes it out of the queue.
   */
  infer(
    name: string,
    version: string | undefined,
    inputs: readonly DeclaredInput[],
    outputs: readonly string[] | undefined,
    presence?: ClientPresence,
  ): Promise<WireTensor[]> {
    if (!this.#accepting) return Promise.reject(new ServerError('SHUTTING_DOWN', 'the server is shutting down'));
    let scheduler: ModelScheduler | undefined;
    try {
      scheduler = this.scheduler(name, version);
      const request = validateRequest(scheduler.model, inputs, outputs, scheduler.maxRows);
      const tensors = asCallerError(() => inputs.map(readInput));
      scheduler.model.check?.(tensors);
      return scheduler.submit(tensors, outputs, request, presence);
    } catch (error) {
      scheduler?.refused();
      return Promise.reject(error);
    }
  }

  /** A fresh id for a request, given to the client with an internal error and written in the log line. */
  newRequestId(): string {
    // Unique within this server's life; the random prefix tells servers (and restarts) apart in pooled logs.
    return `${this.#idPrefix}-${(++this.#requests).toString(36)}`;
  }

  /** An internal failure: one log line with the request id, the route and the error's stack. */
  logInternal(requestId: string, where: string, error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    (this.#options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(
      `polyinfer serve: request ${requestId} ${where} failed: ${text}`,
    );
  }

  /** Triton's `$stats_model_response` for one model (and version), or all. */
  statistics(name?: string, version?: string): { model_stats: object[] } {
    const schedulers = name === undefined ? [...this.#models.values()] : [this.scheduler(name, version)];
    return { model_stats: schedulers.map((s) => s.stats.toJSON()) };
  }

  /** Readiness goes false; requests the front ends already took are still run. */
  beginShutdown(): void {
    this.#ready = false;
  }

  /**
   * Waits up to `deadlineMs` for every queued and running request; past it, refuses what still waits. Disposes the
   * models once nothing runs; a run that never ends is left to the process's exit. Resolves whether it drained.
   */
  async shutdown(deadlineMs: number): Promise<boolean> {
    this.#accepting = false;
    const schedulers = [...this.#models.values()];
    const drained = await withinDeadline(Promise.all(schedulers.map((s) => s.drained())), deadlineMs);
    if (!drained) for (const s of schedulers) s.abandonQueued();
    if (drained || schedulers.every((s) => s.load === 0)) await Promise.all(schedulers.map((s) => s.model.dispose()));
    return drained;
  }
}
