import type { Tensor } from '@polyinfer/core';
import { CancelledError } from '@polyinfer/core';
import type { ServedModel, WireTensor } from './served-model.js';
import type { ValidatedRequest } from './request-validation.js';
import { concatFirstAxis, sliceFirstAxis } from './batch-tensors.js';
import { ModelStats } from './model-stats.js';
import { ServerError } from './server-errors.js';
import type { ClientPresence } from './client-presence.js';

export interface SchedulerOptions {
  /** Largest merged batch (1: no dynamic batching). A request with more rows runs alone. */
  maxBatch: number;
  /** The most rows one request to a batching model may carry (at least maxBatch): bounds a request's size. */
  maxRequestRows: number;
  /** How long the first request of a batch waits for others (ms), as Triton's max_queue_delay. */
  batchDelayMs: number;
  /** Requests waiting beyond this are refused at once with 503. */
  maxQueue: number;
  /** Executions of this model at once. */
  concurrency: number;
}

/** What a scheduler reports as it goes (the Prometheus metrics listen; Triton's statistics are kept in ModelStats). */
export interface SchedulerObserver {
  queued(depth: number): void;
  executing(count: number): void;
  executed(batchSize: number, computeMs: number): void;
  /** A request's end; `times` only for one that was queued and ran (not for a refusal or a cancellation). */
  answered(outcome: 'success' | 'failure' | 'cancelled', times?: { queueMs: number; totalMs: number }): void;
}

interface Pending {
  inputs: readonly WireTensor[];
  outputs: readonly string[] | undefined;
  request: ValidatedRequest;
  enqueued: number;
  presence: ClientPresence | undefined;
  resolve(outputs: WireTensor[]): void;
  reject(error: unknown): void;
}

/**
 * One model's queue: bounded (a full queue answers 503 at once instead of a slow death), executions limited to
 * `concurrency`, and — for a model whose first dimension is dynamic — requests with the same batch key merged into
 * one execution of up to `maxBatch` rows, waiting at most `batchDelayMs` for company (Triton's dynamic batching).
 * Every request was validated alone before it got here; each gets back exactly its own rows, and a batch that
 * fails is run again request by request, so no request pays for a neighbour's.
 */
export class ModelScheduler {
  readonly stats: ModelStats;
  readonly #queue: Pending[] = [];
  readonly #idle: (() => void)[] = [];
  #running = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly model: ServedModel,
    private readonly options: SchedulerOptions,
    private readonly observer?: SchedulerObserver,
  ) {
    this.stats = new ModelStats(model.name, model.version);
  }

  get batching(): boolean {
    return this.model.batchable && this.options.maxBatch > 1;
  }

  /** The most rows one request may carry. */
  get maxRows(): number {
    return Math.max(this.options.maxBatch, this.options.maxRequestRows);
  }

  /** Requests waiting or running. */
  get load(): number {
    return this.#queue.length + this.#running;
  }

  get queueDepth(): number {
    return this.#queue.length;
  }

  /** Queues a validated request; a client that leaves before it runs takes it out of the queue (CANCELLED). */
  submit(
    inputs: readonly WireTensor[],
    outputs: readonly string[] | undefined,
    request: ValidatedRequest,
    presence?: ClientPresence,
  ): Promise<WireTensor[]> {
    if (presence?.left) return Promise.reject(new CancelledError(`a request to model ${this.model.name}`));
    // A request that can start at once does not wait, so it never counts against the queue.
    const mustWait = this.#running >= this.options.concurrency || this.#queue.length > 0 || this.batching;
    if (mustWait && this.#queue.length >= this.options.maxQueue) {
      return Promise.reject(
        new ServerError(
          'QUEUE_FULL',
          `model ${this.model.name} has ${this.#queue.length} requests waiting (--max-queue ${this.options.maxQueue}); try again later`,
          { model: this.model.name, queued: this.#queue.length },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = { inputs, outputs, request, enqueued: performance.now(), presence, resolve, reject };
      presence?.onLeave(() => this.#cancel(pending));
      this.#queue.push(pending);
      this.observer?.queued(this.#queue.length);
      this.#pump();
    });
  }

  /** A request refused before it could queue (it did not fit the model): counted as a failure. */
  refused(): void {
    this.stats.failed(0);
    this.observer?.answered('failure');
  }

  /** Resolves once nothing is waiting or running (for a graceful shutdown). */
  drained(): Promise<void> {
    if (this.load === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Refuses every request still waiting (a shutdown past its deadline); running ones finish or are abandoned. */
  abandonQueued(): void {
    for (const p of this.#queue.splice(0))
      this.#settle(p, 'failure', () =>
        p.reject(new ServerError('SHUTTING_DOWN', 'the server shut down before this request ran')),
      );
    this.observer?.queued(0);
  }

  #cancel(pending: Pending): void {
    const index = this.#queue.indexOf(pending);
    if (index < 0) return; // already running: its answer is simply not sent
    this.#queue.splice(index, 1);
    this.observer?.queued(this.#queue.length);
    this.stats.cancelled();
    this.#settle(pending, 'cancelled', () =>
      pending.reject(new CancelledError(`a request to model ${this.model.name}`)),
    );
    if (this.load === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  #settle(p: Pending, outcome: 'success' | 'failure' | 'cancelled', settle: () => void, startedAt?: number): void {
    p.presence?.onLeave(undefined);
    const now = performance.now();
    this.observer?.answered(
      outcome,
      startedAt === undefined ? undefined : { queueMs: startedAt - p.enqueued, totalMs: now - p.enqueued },
    );
    settle();
  }

  #pump(): void {
    while (this.#running < this.options.concurrency && this.#queue.length > 0) {
      const head = this.#queue[0] as Pending;
      if (this.batching) {
        const rows = this.#queue
          .filter((p) => p.request.batchKey === head.request.batchKey)
          .reduce((n, p) => n + p.request.rows, 0);
        const waited = performance.now() - head.enqueued;
        if (rows < this.options.maxBatch && waited < this.options.batchDelayMs) {
          // Wait for company, but no longer than the head's delay allows.
          this.#timer ??= setTimeout(() => {
            this.#timer = undefined;
            this.#pump();
          }, this.options.batchDelayMs - waited);
          return;
        }
      }
      // A batch that filled up before its delay ran out does not need the wake-up any more.
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
      this.#execute(this.#take(head));
    }
    this.observer?.queued(this.#queue.length);
    if (this.load === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** The head and, when batching, the requests behind it with the same key, up to maxBatch rows. */
  #take(head: Pending): Pending[] {
    if (!this.batching) return this.#queue.splice(0, 1);
    const batch: Pending[] = [];
    let rows = 0;
    for (let i = 0; i < this.#queue.length && rows < this.options.maxBatch;) {
      const p = this.#queue[i] as Pending;
      if (
        p.request.batchKey === head.request.batchKey &&
        (batch.length === 0 || rows + p.request.rows <= this.options.maxBatch)
      ) {
        batch.push(p);
        rows += p.request.rows;
        this.#queue.splice(i, 1);
      } else i++;
    }
    return batch;
  }

  /** One execution of the merged batch, each member's rows cut back out; any doubt about the rows is an error. */
  async #runMerged(batch: readonly Pending[]): Promise<WireTensor[][]> {
    const head = batch[0] as Pending;
    const total = batch.reduce((n, p) => n + p.request.rows, 0);
    const merged = head.inputs.map((input): WireTensor => {
      const parts = batch.map((p) => p.inputs.find((i) => i.name === input.name) as WireTensor);
      if ('elements' in input) {
        // BYTES rows (a string input) are stacked as their elements; the model reads them into one string tensor.
        const elements = parts.flatMap((part) => (part as WireTensor & { elements: Uint8Array[] }).elements);
        return { name: input.name, datatype: 'BYTES', shape: [total, ...input.shape.slice(1)], elements };
      }
      const tensor = concatFirstAxis(parts.map((part) => (part as WireTensor & { tensor: Tensor }).tensor));
      return { name: input.name, datatype: input.datatype, shape: [...tensor.dims], tensor };
    });
    const outputs = await this.model.infer(merged, head.outputs);
    for (const o of outputs) {
      if (!('tensor' in o) || o.tensor.dims[0] !== total)
        throw new Error(`output "${o.name}" of a merged batch does not have the batch's ${total} rows`);
    }
    let row = 0;
    return batch.map((p) => {
      const mine = outputs.map((o) => {
        const tensor = sliceFirstAxis((o as WireTensor & { tensor: Tensor }).tensor, row, p.request.rows);
        return { name: o.name, datatype: o.datatype, shape: [...tensor.dims], tensor };
      });
      row += p.request.rows;
      return mine;
    });
  }

  #execute(batch: Pending[]): void {
    this.#running++;
    this.observer?.executing(this.#running);
    const start = performance.now();
    // One request runs as it is; a merged batch that fails is run again request by request.
    const outcomes: Promise<PromiseSettledResult<WireTensor[]>[]> =
      batch.length === 1
        ? this.model.infer((batch[0] as Pending).inputs, (batch[0] as Pending).outputs).then(
            (value) => [{ status: 'fulfilled', value }],
            (reason: unknown) => [{ status: 'rejected', reason }],
          )
        : this.#runMerged(batch).then(
            (values) => values.map((value) => ({ status: 'fulfilled', value }) as const),
            () => this.#runEach(batch),
          );
    void outcomes
      .then((results) => {
        const computeMs = performance.now() - start;
        const rows = batch.reduce((n, p) => n + p.request.rows, 0);
        this.stats.executed(rows, computeMs);
        this.observer?.executed(rows, computeMs);
        const end = performance.now();
        batch.forEach((p, i) => {
          const result = results[i] as PromiseSettledResult<WireTensor[]>;
          if (result.status === 'fulfilled') {
            this.stats.succeeded(end - p.enqueued, start - p.enqueued, computeMs, p.request.rows);
            this.#settle(p, 'success', () => p.resolve(result.value), start);
          } else {
            this.stats.failed(end - p.enqueued);
            this.#settle(p, 'failure', () => p.reject(result.reason), start);
          }
        });
      })
      .finally(() => {
        this.#running--;
        this.observer?.executing(this.#running);
        this.#pump();
      });
  }

  /** Each request of a batch run alone, one after another: its own answer or its own error. */
  async #runEach(batch: readonly Pending[]): Promise<PromiseSettledResult<WireTensor[]>[]> {
    const results: PromiseSettledResult<WireTensor[]>[] = [];
    for (const p of batch) {
      results.push(
        await this.model.infer(p.inputs, p.outputs).then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason: unknown) => ({ status: 'rejected', reason }) as const,
        ),
      );
    }
    return results;
  }
}
