import type { BackendRegistry } from '@polyinfer/core';
import { defaultRegistry } from '@polyinfer/core';
import { createOcrPipeline } from '../ocr/create-ocr-pipeline.browser.js';
import type { OcrPipeline } from '../ocr/ocr-pipeline.js';
import { errorData } from '../workers/task-worker-protocol.js';
import type { FromWebWorker, ToWebWorker } from './ocr-web-worker-protocol.js';

export interface ServeOcrOptions {
  /** The registry pipelines open their sessions from (default: core's defaultRegistry, where backend packages register). */
  registry?: BackendRegistry;
}

interface WorkerScope {
  postMessage(message: FromWebWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWebWorker>) => void): void;
}

/**
 * The worker side of OcrWorkerClient: call it once in a Web Worker's module, after registering the backends the
 * pipelines may use. Decoding, preprocessing, inference and decoding of outputs all run here, off the page's thread.
 * Runs on one pipeline are taken one at a time in arrival order (each stage batches inside a run).
 */
export function serveOcrInWorker(options: ServeOcrOptions = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  const registry = options.registry ?? defaultRegistry;
  const pipelines = new Map<number, { ocr: OcrPipeline; queue: Promise<unknown> }>();
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
        const ocr = await createOcrPipeline({
          ...message.config,
          registry,
          onModelProgress: (progress) => send({ type: 'progress', id: message.id, progress }),
        });
        const pipeline = nextPipeline++;
        // Warm-up runs first in the pipeline's queue: it is open now, and an image sent meanwhile waits its turn.
        const warmUp = message.warmUpRuns ?? 2;
        pipelines.set(pipeline, {
          ocr,
          queue: warmUp > 0 ? ocr.warmUp(warmUp).catch(() => undefined) : Promise.resolve(),
        });
        return { type: 'opened', id: message.id, pipeline, stages: ocr.stages };
      }
      case 'run': {
        const entry = pipelines.get(message.pipeline);
        if (!entry) throw new Error(`OCR pipeline ${message.pipeline} is not open in this worker`);
        const run = entry.queue.then(() => entry.ocr.run(message.input));
        entry.queue = run.catch(() => undefined);
        return { type: 'result', id: message.id, result: await run };
      }
      case 'dispose': {
        const entry = pipelines.get(message.pipeline);
        pipelines.delete(message.pipeline);
        await entry?.queue;
        await entry?.ocr.dispose();
        return { type: 'disposed', id: message.id };
      }
    }
  };

  scope.addEventListener('message', (event) => {
    const message = event.data;
    handle(message).then(send, (error: unknown) => send({ type: 'error', id: message.id, error: errorData(error) }));
  });
}
