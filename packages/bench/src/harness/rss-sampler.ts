import { Worker } from 'node:worker_threads';

// Runs in a worker thread: a synchronous inference on the main thread (tfjs) cannot delay its samples.
const SAMPLER = `
const { workerData } = require('node:worker_threads');
const peak = new BigInt64Array(workerData.buffer);
setInterval(() => {
  const rss = BigInt(process.memoryUsage.rss());
  if (rss > Atomics.load(peak, 0)) Atomics.store(peak, 0, rss);
}, workerData.intervalMs);
`;

/**
 * Samples the process's resident set size every `intervalMs` from a worker thread (RSS is per process, so the worker
 * sees the main thread's memory too, plus its own few MB) and keeps the peak.
 */
export function startRssSampler(intervalMs = 5): { stop(): Promise<number> } {
  const peak = new BigInt64Array(new SharedArrayBuffer(8));
  Atomics.store(peak, 0, BigInt(process.memoryUsage.rss()));
  const worker = new Worker(SAMPLER, { eval: true, workerData: { buffer: peak.buffer, intervalMs } });
  worker.unref();
  return {
    async stop() {
      const now = BigInt(process.memoryUsage.rss());
      await worker.terminate();
      const sampled = Atomics.load(peak, 0);
      return Number(sampled > now ? sampled : now);
    },
  };
}
