import { isPolyinferError } from '@polyinfer/core';
import { ServerError } from './server-errors.js';

/**
 * Runs a step that reads what the client sent: a protocol error there is the client's (400 naming the problem),
 * whichever package raised it.
 */
export function asCallerError<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isPolyinferError(error, 'V2_PROTOCOL') || error instanceof URIError)
      throw new ServerError(
        'BAD_REQUEST',
        (error as Error).message,
        isPolyinferError(error) ? { ...error.details } : {},
      );
    throw error;
  }
}
