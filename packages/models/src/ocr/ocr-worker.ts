import { parentPort, workerData } from 'node:worker_threads';
import { createOcrPipeline } from './create-ocr-pipeline.js';
import type { FromWorker, ToWorker, WorkerInit } from './ocr-worker-protocol.js';
import { errorData } from './ocr-worker-protocol.js';

// One OCR pipeline in a worker thread of an OcrWorkerPool. onnxruntime-node's run holds the thread that calls it,
// so images overlap only across threads: each worker is a pipeline of its own, fed one image at a time.

const port = parentPort;
if (!port) throw new Error('ocr-worker runs as a worker thread of OcrWorkerPool');

const send = (message: FromWorker): void => port.postMessage(message);
const init = workerData as WorkerInit;

try {
  for (const module of init.backendModules) await import(module);
  const ocr = await createOcrPipeline(init.config);
  send({ type: 'ready', stages: ocr.stages });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      void ocr.dispose().then(() => port.close());
      return;
    }
    ocr.run(message.input).then(
      (result) => send({ type: 'result', id: message.id, result }),
      (error: unknown) => send({ type: 'error', id: message.id, error: errorData(error) }),
    );
  });
} catch (error) {
  send({ type: 'failed', error: errorData(error) });
}
