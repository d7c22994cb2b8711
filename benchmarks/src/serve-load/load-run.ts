import type { Tensor } from '@polyinfer/core';
import { isPolyinferError } from '@polyinfer/core';
import { seededUniformTensor } from '@polyinfer/core/testing';
import { summarise } from '@polyinfer/bench-core';
import type { Summary } from '@polyinfer/bench-core';
import { HttpV2Client } from '@polyinfer/backend-remote';

export interface LoadOptions {
  url: string;
  model: string;
  input: { name: string; dims: number[] };
  clients: number;
  seconds: number;
  /** Per client, so a run stays bounded in count as well as time. */
  maxRequestsPerClient: number;
}

export interface LoadResult {
  clients: number;
  seconds: number;
  sent: number;
  answered: number;
  /** Answered, but not with the output this client's own input gives alone (a batching mix-up would show here). */
  wrong: number;
  refused503: number;
  otherErrors: string[];
  throughput: number;
  latency: Summary;
}

const maxDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), a.length === b.length ? 0 : Infinity);

/**
 * `clients` closed loops against one model for `seconds`: each client sends its own seeded input, one request at a
 * time, and checks every answer against what that input gives on its own (measured first, unbatched).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const client = new HttpV2Client(options.url, { retries: 0, timeoutMs: 60_000 });
  const inputs = Array.from({ length: options.clients }, (_, k) => seededUniformTensor(options.input.dims, 1000 + k));
  const expected: Float32Array[] = [];
  for (const input of inputs) {
    const out = await client.infer({ model: options.model, inputs: { [options.input.name]: input } });
    expected.push(Object.values(out)[0]?.data as Float32Array);
  }
  const latencies: number[] = [];
  const result = { sent: 0, answered: 0, wrong: 0, refused503: 0, otherErrors: [] as string[] };
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const loop = async (k: number): Promise<void> => {
    const input = inputs[k] as Tensor;
    for (let n = 0; n < options.maxRequestsPerClient && performance.now() < deadline; n++) {
      result.sent++;
      const t0 = performance.now();
      try {
        const out = await client.infer({ model: options.model, inputs: { [options.input.name]: input } });
        latencies.push(performance.now() - t0);
        result.answered++;
        if (maxDiff(Object.values(out)[0]?.data as Float32Array, expected[k] as Float32Array) > 1e-4) result.wrong++;
      } catch (error) {
        if (isPolyinferError(error, 'REMOTE_UNAVAILABLE') && /503/.test(error.message)) result.refused503++;
        else result.otherErrors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, k) => loop(k)));
  const seconds = (performance.now() - started) / 1000;
  client.close();
  return {
    clients: options.clients,
    seconds,
    ...result,
    throughput: result.answered / seconds,
    latency: summarise(latencies.length > 0 ? latencies : [0]),
  };
}
