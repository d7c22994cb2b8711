import { PolyinferError } from '@polyinfer/core';

/** The error codes @polyinfer/backend-remote raises (core's are in CoreErrorCode). */
export type RemoteErrorCode = 'REMOTE_UNAVAILABLE' | 'REMOTE_REJECTED' | 'REMOTE_TIMEOUT' | 'REMOTE_PROTOCOL';

/** Where a request went: the server and, when there is one, the model. */
export interface RemoteTarget {
  server: string;
  model?: string;
}

const where = (t: RemoteTarget): string => (t.model ? `${t.server} (model ${t.model})` : t.server);

/** The server could not be reached, or said it is overloaded (503 / UNAVAILABLE), on every try. */
export class RemoteUnavailableError extends PolyinferError<'REMOTE_UNAVAILABLE'> {
  override readonly name = 'RemoteUnavailableError';
  constructor(
    target: RemoteTarget,
    reason: string,
    readonly attempts: number,
    cause?: unknown,
  ) {
    super(
      'REMOTE_UNAVAILABLE',
      `${where(target)} is unavailable after ${attempts} attempt(s): ${reason}`,
      { ...target, reason, attempts },
      { cause },
    );
  }
}

/** The server answered with an error: its status and its words. Never retried (a 400 stays a 400). */
export class RemoteRejectedError extends PolyinferError<'REMOTE_REJECTED'> {
  override readonly name = 'RemoteRejectedError';
  constructor(
    target: RemoteTarget,
    readonly status: number | string,
    readonly serverError: string,
  ) {
    super('REMOTE_REJECTED', `${where(target)} answered ${status}: ${serverError}`, {
      ...target,
      status,
      reason: `${status}: ${serverError}`,
    });
  }
}

/** No answer from the server within the timeout. */
export class RemoteTimeoutError extends PolyinferError<'REMOTE_TIMEOUT'> {
  override readonly name = 'RemoteTimeoutError';
  constructor(
    target: RemoteTarget,
    readonly timeoutMs: number,
  ) {
    super('REMOTE_TIMEOUT', `${where(target)} did not answer within ${timeoutMs} ms`, {
      ...target,
      timeoutMs,
      reason: `no answer within ${timeoutMs} ms`,
    });
  }
}

/** A message that does not follow the protocol (either way), or a datatype polyinfer cannot hold. */
export class RemoteProtocolError extends PolyinferError<'REMOTE_PROTOCOL'> {
  override readonly name = 'RemoteProtocolError';
  constructor(message: string, details: Record<string, unknown>) {
    super('REMOTE_PROTOCOL', message, details);
  }
}
