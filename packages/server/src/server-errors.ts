import { status as grpcStatus } from '@grpc/grpc-js';
import { isCallerFault, PolyinferError } from '@polyinfer/core';

/** The error codes @polyinfer/server raises (core's are in CoreErrorCode). */
export type ServerErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'MODEL_NOT_SERVED'
  | 'ROUTE_NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'QUEUE_FULL'
  | 'SERVER_BUSY'
  | 'SHUTTING_DOWN';

const HTTP_STATUS: Record<ServerErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  MODEL_NOT_SERVED: 404,
  ROUTE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUEUE_FULL: 503,
  SERVER_BUSY: 503,
  SHUTTING_DOWN: 503,
};

/** A request the server refuses, with the HTTP status (and gRPC status) the protocol gives it. */
export class ServerError extends PolyinferError<ServerErrorCode> {
  override readonly name = 'ServerError';
  constructor(code: ServerErrorCode, message: string, details: Record<string, unknown> = {}) {
    // The 4xx are the caller's doing; a 503 is the server's state, which a later attempt may find changed.
    super(code, message, details, { fault: HTTP_STATUS[code] < 500 ? 'caller' : 'system' });
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  /** Refused before anything ran: a client may send the same request again (503 / UNAVAILABLE). */
  get notRun(): boolean {
    return this.httpStatus === 503;
  }
}

/**
 * The HTTP status an error becomes, from its kind alone: the server's own errors carry theirs; any other error whose
 * class calls it the caller's fault (a wrong shape, an undecodable image, a malformed message) is 400; the rest 500.
 */
export function httpStatusOf(error: unknown): number {
  if (error instanceof ServerError) return error.httpStatus;
  return isCallerFault(error) ? 400 : 500;
}

/** The same, as a gRPC status (the protocol's mapping of HTTP classes). */
export function grpcStatusOf(error: unknown): grpcStatus {
  switch (httpStatusOf(error)) {
    case 400:
    case 415:
      return grpcStatus.INVALID_ARGUMENT;
    case 401:
      return grpcStatus.UNAUTHENTICATED;
    case 403:
      return grpcStatus.PERMISSION_DENIED;
    case 404:
      return grpcStatus.NOT_FOUND;
    case 413:
      return grpcStatus.RESOURCE_EXHAUSTED;
    case 503:
      return grpcStatus.UNAVAILABLE;
    default:
      return grpcStatus.INTERNAL;
  }
}

/**
 * What a client is told: the error's own words when it is the client's to fix or the server's state (4xx, 503);
 * for an internal failure only that it happened and the request id, which the server's log line also carries.
 */
export function publicMessageOf(error: unknown, requestId: string): string {
  if (httpStatusOf(error) < 500 || httpStatusOf(error) === 503)
    return error instanceof Error ? error.message : String(error);
  return `internal error (request ${requestId}); the server's log has the details`;
}
