import type { RemoteTarget } from './remote-errors.js';
import { CancelledError } from '@polyinfer/core';
import { RemoteTimeoutError, RemoteUnavailableError } from './remote-errors.js';

/** What one attempt ended in, as far as retrying is concerned. */
export type AttemptFailure =
  | { kind: 'retryable'; reason: string; cause?: unknown }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  | { kind: 'final'; error: unknown };

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, retrying only what `classify` calls retryable (a refused connection, a 503),
 * with exponential backoff and jitter; a timeout, a cancellation or any other answer ends it at once.
 */
export async function withRetries<T>(
  target: RemoteTarget,
  options: { retries: number; backoffMs: number; timeoutMs: number; signal?: AbortSignal | undefined },
  attempt: () => Promise<T>,
  classify: (error: unknown) => AttemptFailure,
): Promise<T> {
  const cancelled = (): CancelledError =>
    new CancelledError(`the request to ${target.model ? `${target.server} (model ${target.model})` : target.server}`);
  let last: { reason: string; cause?: unknown } = { reason: 'no attempt made' };
  for (let n = 0; n <= options.retries; n++) {
    if (options.signal?.aborted) throw cancelled();
    try {
      return await attempt();
    } catch (error) {
      const failure = classify(error);
      if (failure.kind === 'cancelled') throw cancelled();
      if (failure.kind === 'timeout') throw new RemoteTimeoutError(target, options.timeoutMs);
      if (failure.kind === 'final') throw failure.error;
      last = failure;
      if (n === options.retries) break;
      const delay = options.backoffMs * 2 ** n * (0.5 + Math.random());
      try {
        await sleep(delay, options.signal);
      } catch {
        throw cancelled();
      }
    }
  }
  throw new RemoteUnavailableError(target, last.reason, options.retries + 1, last.cause);
}
