import type { DeviceStatus } from '@polyinfer/core';
import { DisposedError } from '@polyinfer/core';
import type { OcrModelProgress } from '../ocr/ocr-config.js';
import type { OcrResult, StageInfo } from '../ocr/ocr-result.js';
import { errorOf } from '../workers/task-worker-protocol.js';
import type { FromWebWorker, ToWebWorker, WebWorkerOcrConfig, WorkerImageInput } from './ocr-web-worker-protocol.js';

type Pending = {
  resolve: (message: FromWebWorker) => void;
  reject: (error: Error) => void;
  onProgress?: (p: OcrModelProgress) => void;
};
/** A message to the worker before the client numbers it (Omit over each member of the union). */
type WithoutId<M> = M extends unknown ? Omit<M, 'id'> : never;
type Request = WithoutId<ToWebWorker>;

/** The part of a Worker the client uses (a DOM Worker; anything with the same calls in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FromWebWorker>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** A task's pipeline living in the worker (OCR, detection, classification), with where it runs there. */
export class WorkerTaskPipeline<R, Info = unknown> {
  #disposed = false;

  constructor(
    private readonly client: OcrWorkerClient,
    private readonly handle: number,
    readonly info: Info,
  ) {}

  /** Runs one image in the worker. An ImageBitmap is transferred (it is closed on this side). */
  async run(input: WorkerImageInput): Promise<R> {
    if (this.#disposed) throw new DisposedError('worker pipeline');
    const transfer = typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap ? [input] : [];
    const reply = await this.client.request({ type: 'run', pipeline: this.handle, input }, transfer);
    return (reply as Extract<FromWebWorker, { type: 'result' }>).result as R;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.client.request({ type: 'dispose', pipeline: this.handle });
  }
}

/** An OCR pipeline living in the worker. */
export class WorkerOcrPipeline extends WorkerTaskPipeline<
  OcrResult,
  { det: StageInfo; cls?: StageInfo; rec: StageInfo }
> {
  get stages(): { det: StageInfo; cls?: StageInfo; rec: StageInfo } {
    return this.info;
  }
}

/**
 * The page's side of OCR in a Web Worker (the worker calls serveOcrInWorker): the page posts images and draws the
 * results, the worker does everything else, so the page's thread stays free while a long paragraph is read.
 */
export class OcrWorkerClient {
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #terminated = false;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event: MessageEvent<FromWebWorker>) => this.#settle(event.data));
    // A worker that fails to load (a bad URL, a syntax error) fails every call waiting on it.
    worker.addEventListener('error', (event: ErrorEvent) =>
      this.#failAll(new Error(`OCR worker failed: ${event.message || 'could not be loaded'}`)),
    );
  }

  /** Whether the worker's registry can run `backend` on `device` there. */
  async probe(backend: string, device: string): Promise<DeviceStatus> {
    return ((await this.request({ type: 'probe', backend, device })) as Extract<FromWebWorker, { type: 'probed' }>)
      .probe;
  }

  /**
   * Opens a pipeline in the worker: models fetched there (through Cache Storage; `onModelProgress` is relayed), then
   * `warmUpRuns` (default 2) runs of OcrPipeline.warmUp queued ahead of the first image, so the wasm engine's late
   * optimisation is paid while the user picks one.
   */
  async open(
    config: WebWorkerOcrConfig & { onModelProgress?: (progress: OcrModelProgress) => void; warmUpRuns?: number } = {},
  ): Promise<WorkerOcrPipeline> {
    const { onModelProgress, warmUpRuns, ...portable } = config;
    const reply = (await this.request(
      { type: 'open', config: portable, ...(warmUpRuns !== undefined ? { warmUpRuns } : {}) },
      [],
      onModelProgress,
    )) as Extract<FromWebWorker, { type: 'opened' }>;
    return new WorkerOcrPipeline(this, reply.pipeline, reply.info as WorkerOcrPipeline['info']);
  }

  /**
   * Opens another task's pipeline in the worker: `detect` (DetectionConfig) or `classify` (ClassificationConfig), the
   * config without a registry (the worker's own) and its model as a URL or bytes.
   */
  async openTask<R, Info = { backend: string; device: string }>(
    task: string,
    config: Record<string, unknown>,
  ): Promise<WorkerTaskPipeline<R, Info>> {
    const reply = (await this.request({ type: 'open', task, config })) as Extract<FromWebWorker, { type: 'opened' }>;
    return new WorkerTaskPipeline<R, Info>(this, reply.pipeline, reply.info as Info);
  }

  /** Stops the worker: its pipelines and sessions go with it; calls still waiting fail. */
  terminate(): void {
    this.#terminated = true;
    this.worker.terminate();
    this.#failAll(new DisposedError('OCR worker'));
  }

  /** @internal */
  request(
    message: Request,
    transfer: Transferable[] = [],
    onProgress?: (p: OcrModelProgress) => void,
  ): Promise<FromWebWorker> {
    if (this.#terminated) return Promise.reject(new DisposedError('OCR worker'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  #settle(message: FromWebWorker): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.#pending.delete(message.id);
    if (message.type === 'error') pending.reject(errorOf(message.error));
    else pending.resolve(message);
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
