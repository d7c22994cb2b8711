import { parentPort, workerData } from 'node:worker_threads';
import { createOcrPipeline } from '../ocr/create-ocr-pipeline.js';
import type { OcrConfig } from '../ocr/ocr-config.js';
import type { ImageTaskName } from '../image-task/image-task-names.js';
import { SINGLE_MODEL_TASKS } from '../image-task/single-model-tasks.js';
import type { FromWorker, ToWorker, TaskWorkerInput, WorkerInit } from './task-worker-protocol.js';
import { errorData } from './task-worker-protocol.js';

// One task pipeline in a worker thread of a TaskWorkerPool. onnxruntime-node's run holds the thread that calls it,
// so images overlap only across threads: each worker is a pipeline of its own, fed one image at a time.

interface WorkerPipeline {
  run(input: TaskWorkerInput): Promise<unknown>;
  dispose(): Promise<void>;
  info: unknown;
}

/** The tasks a worker can run, each opened from its (registry-less) config in the worker's default registry. */
const TASK_WORKERS: Record<ImageTaskName, (config: object) => Promise<WorkerPipeline>> = {
  ocr: async (config) => {
    const ocr = await createOcrPipeline(config as OcrConfig);
    return { run: (input) => ocr.run(input), dispose: () => ocr.dispose(), info: ocr.stages };
  },
  ...SINGLE_MODEL_TASKS,
};

const port = parentPort;
if (!port) throw new Error('task-worker runs as a worker thread of a TaskWorkerPool');

const send = (message: FromWorker): void => port.postMessage(message);
const init = workerData as WorkerInit;

try {
  for (const module of init.backendModules) await import(module);
  const open = Object.hasOwn(TASK_WORKERS, init.task) ? TASK_WORKERS[init.task as ImageTaskName] : undefined;
  if (!open) throw new Error(`no worker task "${init.task}" (tasks: ${Object.keys(TASK_WORKERS).join(', ')})`);
  const pipeline = await open(init.config as object);
  send({ type: 'ready', info: pipeline.info });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      void pipeline.dispose().then(() => port.close());
      return;
    }
    pipeline.run(message.input).then(
      (result) => send({ type: 'result', id: message.id, result }),
      (error: unknown) => send({ type: 'error', id: message.id, error: errorData(error) }),
    );
  });
} catch (error) {
  send({ type: 'failed', error: errorData(error) });
}
