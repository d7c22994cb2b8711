import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError, DisposedError } from '@polyinfer/core';
import type { OcrResult, StageInfo } from '../ocr/ocr-result.js';
import type { FromWorker, PortableOcrConfig, TaskWorkerInput, ToWorker, WorkerInit } from './task-worker-protocol.js';
import { errorOf } from './task-worker-protocol.js';
import type { BatchItem, RunManyOptions } from '../run-many.js';
import { runInOrder } from '../run-many.js';

export interface TaskWorkerPoolOptions {
  /** Worker threads, each with a pipeline of its own (default: 2, or 1 on a single core). */
  workers?: number;
  /**
   * Backend modules each worker imports to register its backends, e.g.
   * `[import.meta.resolve('@polyinfer/backend-ort-node')]`: resolved where the caller installed them, since the model
   * layer depends on no backend.
   */
  backendModules: readonly string[];
}

/** The worker's compiled file: beside this one when built; from dist when this module runs from its sources (tests). */
function workerScript(): URL {
  const beside = new URL('./task-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL('../../dist/workers/task-worker.js', import.meta.url);
}

interface PoolWorker {
  worker: Worker;
  busy: boolean;
}

/**
 * A task's pipeline across worker threads (OCR, detection, classification): onnxruntime-node's run holds its calling
 * thread, so two images overlap only in two threads. Each worker opens its own pipeline (intra-op threads default to
 * cores ÷ workers), takes one image at a time, and `stream`/`runMany` keep every worker fed, yielding in input order.
 */
export class TaskWorkerPool<R, Info = unknown> {
  readonly #workers: PoolWorker[];
  readonly #waiting: { input: TaskWorkerInput; resolve: (r: R) => void; reject: (e: Error) => void }[] = [];
  readonly #calls = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void; worker: PoolWorker }>();
  #nextId = 0;
  #disposed = false;

  /** Made by createTaskWorkerPool (or OcrWorkerPool.create) once every worker's pipeline is open. */
  constructor(
    workers: Worker[],
    /** Where the first worker's pipeline runs (OCR: its stages; detection and classification: backend and device). */
    readonly info: Info,
  ) {
    this.#workers = workers.map((worker) => ({ worker, busy: false }));
    for (const w of this.#workers) {
      w.worker.on('message', (message: FromWorker) => this.#settle(w, message));
      w.worker.on('error', (error) => this.#failWorker(w, error));
    }
  }

  get workers(): number {
    return this.#workers.length;
  }

  /** One image on the next free worker. */
  run(input: TaskWorkerInput): Promise<R> {
    if (this.#disposed) return Promise.reject(new DisposedError('TaskWorkerPool'));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ input, resolve, reject });
      this.#dispatch();
    });
  }

  /** As a pipeline's stream: every worker busy, outcomes in input order, a failing image yielded with its error. */
  stream<I extends TaskWorkerInput>(
    inputs: Iterable<I>,
    options: Omit<RunManyOptions, 'inFlight'> = {},
  ): AsyncGenerator<BatchItem<I, R>> {
    return runInOrder(inputs, (input) => this.run(input), { ...options, inFlight: this.#workers.length });
  }

  async runMany<I extends TaskWorkerInput>(
    inputs: Iterable<I>,
    options: Omit<RunManyOptions, 'inFlight'> = {},
  ): Promise<BatchItem<I, R>[]> {
    const items: BatchItem<I, R>[] = [];
    for await (const item of this.stream(inputs, options)) items.push(item);
    return items;
  }

  #dispatch(): void {
    for (const w of this.#workers) {
      if (w.busy) continue;
      const job = this.#waiting.shift();
      if (!job) return;
      const id = this.#nextId++;
      w.busy = true;
      this.#calls.set(id, { resolve: job.resolve, reject: job.reject, worker: w });
      w.worker.postMessage({ type: 'run', id, input: job.input } satisfies ToWorker);
    }
  }

  #settle(w: PoolWorker, message: FromWorker): void {
    if (message.type !== 'result' && message.type !== 'error') return;
    const call = this.#calls.get(message.id);
    if (!call) return;
    this.#calls.delete(message.id);
    w.busy = false;
    if (message.type === 'result') call.resolve(message.result as R);
    else call.reject(errorOf(message.error));
    this.#dispatch();
  }

  #failWorker(w: PoolWorker, error: Error): void {
    for (const [id, call] of this.#calls) {
      if (call.worker !== w) continue;
      this.#calls.delete(id);
      call.reject(error);
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const job of this.#waiting.splice(0)) job.reject(new DisposedError('TaskWorkerPool'));
    await Promise.all(
      this.#workers.map(
        ({ worker }) =>
          new Promise<void>((resolve) => {
            if (worker.threadId < 0) return resolve(); // already gone (it crashed)
            worker.once('exit', () => resolve());
            worker.postMessage({ type: 'close' } satisfies ToWorker);
          }),
      ),
    );
  }
}

/** Starts the workers, each opening the task's pipeline; the first one's `info` once all are ready (or all terminated on a failure). */
async function startWorkers(
  task: string,
  config: object,
  options: TaskWorkerPoolOptions,
): Promise<{ workers: Worker[]; info: unknown }> {
  const cores = availableParallelism();
  const count = options.workers ?? Math.min(2, cores);
  if (!Number.isInteger(count) || count < 1)
    throw new ConfigError(`workers must be a whole number, 1 or more; got ${count}`, { workers: count });
  if ('registry' in config)
    throw new ConfigError('A worker pool builds a registry in each worker: pass backendModules instead of a registry');
  const own = (config as { options?: { intraOpThreads?: number } }).options;
  const threads = own?.intraOpThreads ?? Math.max(1, Math.floor(cores / count));
  const init: WorkerInit = {
    task,
    config: { ...config, options: { ...own, intraOpThreads: threads } },
    backendModules: options.backendModules,
  };
  const workers = Array.from({ length: count }, () => new Worker(workerScript(), { workerData: init }));
  const ready = workers.map(
    (worker) =>
      new Promise<FromWorker & { type: 'ready' }>((resolve, reject) => {
        worker.once('message', (message: FromWorker) =>
          message.type === 'ready'
            ? resolve(message)
            : reject(message.type === 'failed' ? errorOf(message.error) : new Error(`unexpected ${message.type}`)),
        );
        worker.once('error', reject);
      }),
  );
  try {
    const [first] = await Promise.all(ready);
    return { workers, info: (first as FromWorker & { type: 'ready' }).info };
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
}

/** OCR across worker threads (see TaskWorkerPool), with the stages each pipeline runs on. */
export class OcrWorkerPool extends TaskWorkerPool<OcrResult, { det: StageInfo; cls?: StageInfo; rec: StageInfo }> {
  get stages(): { det: StageInfo; cls?: StageInfo; rec: StageInfo } {
    return this.info;
  }

  static async create(config: PortableOcrConfig, options: TaskWorkerPoolOptions): Promise<OcrWorkerPool> {
    const { workers, info } = await startWorkers('ocr', config, options);
    return new OcrWorkerPool(workers, info as OcrWorkerPool['info']);
  }
}

/**
 * A task's pipeline (ocr, detect, classify) in each of `options.workers` threads; `config` is the task's config
 * without a registry (each worker builds its own from `backendModules`).
 */
export async function createTaskWorkerPool<R, Info = unknown>(
  task: string,
  config: object,
  options: TaskWorkerPoolOptions,
): Promise<TaskWorkerPool<R, Info>> {
  const { workers, info } = await startWorkers(task, config, options);
  return new TaskWorkerPool<R, Info>(workers, info as Info);
}

/** The options of an OcrWorkerPool (the same as any task's). */
export type OcrWorkerPoolOptions = TaskWorkerPoolOptions;
