import type { Tensor } from '@polyinfer/core';
import type { ServedModel, WireTensor } from './served-model.js';
import { concatFirstAxis, batchKey, sliceFirstAxis } from './batch-tensors.js';
import { ModelStats } from './model-stats.js';
import { ServerError } from './server-errors.js';

export interface SchedulerOptions {
  /** Largest merged batch (1: no dynamic batching). */
  maxBatch: number;
  /** How long the first request of a batch waits for others (ms), as Triton's max_queue_delay. */
  batchDelayMs: number;
  /** Requests waiting beyond this are refused at once with 503. */
  maxQueue: number;
  /** Executions of this model at once. */
  concurrency: number;
}

interface Pending {
  inputs: readonly WireTensor[];
  outputs: readonly string[] | undefined;
  rows: number;
  key: string;
  enqueued: number;
  resolve(outputs: WireTensor[]): void;
  reject(error: unknown): void;
}

/**
 * One model's queue: bounded (a full queue answers 503 at once instead of a slow death), executions limited to
 * `concurrency`, and — for a model whose first dimension is dynamic — compatible requests merged into one execution
 * of up to `maxBatch` rows, waiting at most `batchDelayMs` for company (Triton's dynamic batching).
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
  ) {
    this.stats = new ModelStats(model.name, model.version);
  }

  get batching(): boolean {
    return this.model.batchable && this.options.maxBatch > 1;
  }

  /** Requests waiting or running. */
  get load(): number {
    return this.#queue.length + this.#running;
  }

  submit(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    // A request that can start at once does not wait, so it never counts against the queue.
    const mustWait = this.#running >= this.options.concurrency || this.#queue.length > 0 || this.batching;
    if (mustWait && this.#queue.length >= this.options.maxQueue) {
      return Promise.reject(new ServerError('QUEUE_FULL', `model ${this.model.name} has ${this.#queue.length} requests waiting (--max-queue ${this.options.maxQueue}); try again later`, { model: this.model.name, queued: this.#queue.length }));
    }
    return new Promise((resolve, reject) => {
      const rows = this.model.batchSizeOf(inputs);
      this.#queue.push({ inputs, outputs, rows, key: batchKey(inputs, outputs), enqueued: performance.now(), resolve, reject });
      this.#pump();
    });
  }

  /** Resolves once nothing is waiting or running (for a graceful shutdown). */
  drained(): Promise<void> {
    if (this.load === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#running < this.options.concurrency && this.#queue.length > 0) {
      const head = this.#queue[0] as Pending;
      if (this.batching) {
        const rows = this.#queue.filter((p) => p.key === head.key).reduce((n, p) => n + p.rows, 0);
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
    if (this.load === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** The head and, when batching, the compatible requests behind it, up to maxBatch rows. */
  #take(head: Pending): Pending[] {
    if (!this.batching) return this.#queue.splice(0, 1);
    const batch: Pending[] = [];
    let rows = 0;
    for (let i = 0; i < this.#queue.length && rows < this.options.maxBatch; ) {
      const p = this.#queue[i] as Pending;
      if (p.key === head.key && (batch.length === 0 || rows + p.rows <= this.options.maxBatch)) {
        batch.push(p);
        rows += p.rows;
        this.#queue.splice(i, 1);
      } else i++;
    }
    return batch;
  }

  #execute(batch: Pending[]): void {
    this.#running++;
    const start = performance.now();
    const run = async (): Promise<WireTensor[][]> => {
      if (batch.length === 1) return [await this.model.infer((batch[0] as Pending).inputs, (batch[0] as Pending).outputs)];
      const head = batch[0] as Pending;
      const merged = head.inputs.map((input) => {
        const parts = batch.map((p) => p.inputs.find((i) => i.name === input.name) as WireTensor & { tensor: Tensor });
        const tensor = concatFirstAxis(parts.map((p) => p.tensor));
        return { name: input.name, datatype: input.datatype, shape: [...tensor.dims], tensor };
      });
      const outputs = await this.model.infer(merged, head.outputs);
      let row = 0;
      return batch.map((p) => {
        const mine = outputs.map((o) => {
          const tensor = sliceFirstAxis((o as WireTensor & { tensor: Tensor }).tensor, row, p.rows);
          return { name: o.name, datatype: o.datatype, shape: [...tensor.dims], tensor };
        });
        row += p.rows;
        return mine;
      });
    };
    run().then(
      (results) => {
        const computeMs = performance.now() - start;
        const end = performance.now();
        this.stats.executed(batch.reduce((n, p) => n + p.rows, 0), computeMs);
        batch.forEach((p, i) => {
          this.stats.succeeded(end - p.enqueued, start - p.enqueued, computeMs, p.rows);
          p.resolve(results[i] as WireTensor[]);
        });
      },
      (error: unknown) => {
        const end = performance.now();
        for (const p of batch) {
          this.stats.failed(end - p.enqueued);
          p.reject(error);
        }
      },
    ).finally(() => {
      this.#running--;
      this.#pump();
    });
  }
}
