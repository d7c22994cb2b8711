import type { ImageTaskName } from '../image-task/image-task-names.js';
import type { BackendRegistry } from '@polyinfer/core';
import { defaultRegistry } from '@polyinfer/core';
import { createOcrPipeline } from '../ocr/create-ocr-pipeline.browser.js';
import type { OcrConfig } from '../ocr/ocr-config.js';
import { SINGLE_MODEL_TASKS } from '../image-task/single-model-tasks.js';
import type { WorkerImageInput } from './ocr-web-worker-protocol.js';
import { errorData } from '../workers/task-worker-protocol.js';
import type { FromWebWorker, ToWebWorker } from './ocr-web-worker-protocol.js';
import type { OcrModelProgress } from '../ocr/ocr-config.js';

export interface ServeOcrOptions {
  /** The registry pipelines open their sessions from (default: core's defaultRegistry, where backend packages register). */
  registry?: BackendRegistry;
  /** Where messages come from and go to (default: the worker's global scope; tests pass a stand-in). */
  scope?: WorkerScope;
}

/** A pipeline open in the worker: its runs, taken one at a time, and where it runs. */
interface OpenPipeline {
  run(input: WorkerImageInput): Promise<unknown>;
  dispose(): Promise<void>;
  info: unknown;
  queue: Promise<unknown>;
}

type Opener = (
  config: Record<string, unknown>,
  registry: BackendRegistry,
  progress: (p: unknown) => void,
  warmUpRuns: number,
) => Promise<Omit<OpenPipeline, 'queue'> & { warmUp?: Promise<unknown> }>;

/** The tasks a page can open in the worker (browser entries: models from URLs or bytes). */
const WEB_WORKER_TASKS: Record<ImageTaskName, Opener> = {
  async ocr(config, registry, progress, warmUpRuns) {
    const ocr = await createOcrPipeline({ ...(config as OcrConfig), registry, onModelProgress: progress });
    // Warm-up runs first in the pipeline's queue: it is open now, and an image sent meanwhile waits its turn.
    const warmUp = warmUpRuns > 0 ? ocr.warmUp(warmUpRuns).catch(() => undefined) : undefined;
    return {
      run: (input) => ocr.run(input),
      dispose: () => ocr.dispose(),
      info: ocr.stages,
      ...(warmUp ? { warmUp } : {}),
    };
  },
  // The one-model tasks, each in the worker's registry.
  detect: (config, registry) => SINGLE_MODEL_TASKS.detect({ ...config, registry }),
  classify: (config, registry) => SINGLE_MODEL_TASKS.classify({ ...config, registry }),
};

export interface WorkerScope {
  postMessage(message: FromWebWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWebWorker>) => void): void;
}

/**
 * The worker side of OcrWorkerClient: call it once in a Web Worker's module, after registering the backends the
 * pipelines may use. OCR, detection and classification pipelines open here (WEB_WORKER_TASKS); decoding,
 * preprocessing, inference and decoding of outputs all run here, off the page's thread. Runs on one pipeline are taken
 * one at a time in arrival order (each stage batches inside a run).
 */
export function serveOcrInWorker(options: ServeOcrOptions = {}): void {
  const scope = options.scope ?? (globalThis as unknown as WorkerScope);
  const registry = options.registry ?? defaultRegistry;
  const pipelines = new Map<number, OpenPipeline>();
  let nextPipeline = 1;
  const send = (message: FromWebWorker): void => scope.postMessage(message);

  const handle = async (message: ToWebWorker): Promise<FromWebWorker> => {
    switch (message.type) {
      case 'probe':
        return {
          type: 'probed',
          id: message.id,
          probe: await (await registry.get(message.backend)).probe(message.device),
        };
      case 'open': {
        const task = message.task ?? 'ocr';
        const open = Object.hasOwn(WEB_WORKER_TASKS, task) ? WEB_WORKER_TASKS[task as ImageTaskName] : undefined;
        if (!open)
          throw new Error(`no task "${task}" in this worker (tasks: ${Object.keys(WEB_WORKER_TASKS).join(', ')})`);
        const progress = (p: unknown): void =>
          send({ type: 'progress', id: message.id, progress: p as OcrModelProgress });
        const { warmUp, ...opened } = await open(
          message.config as Record<string, unknown>,
          registry,
          progress,
          message.warmUpRuns ?? 2,
        );
        const pipeline = nextPipeline++;
        pipelines.set(pipeline, { ...opened, queue: warmUp ?? Promise.resolve() });
        return { type: 'opened', id: message.id, pipeline, info: opened.info };
      }
      case 'run': {
        const entry = pipelines.get(message.pipeline);
        if (!entry) throw new Error(`pipeline ${message.pipeline} is not open in this worker`);
        const run = entry.queue.then(() => entry.run(message.input));
        entry.queue = run.catch(() => undefined);
        return { type: 'result', id: message.id, result: await run };
      }
      case 'dispose': {
        const entry = pipelines.get(message.pipeline);
        pipelines.delete(message.pipeline);
        await entry?.queue;
        await entry?.dispose();
        return { type: 'disposed', id: message.id };
      }
    }
  };

  scope.addEventListener('message', (event) => {
    const message = event.data;
    handle(message).then(send, (error: unknown) => send({ type: 'error', id: message.id, error: errorData(error) }));
  });
}
