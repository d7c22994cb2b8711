import { status as grpcStatus } from '@grpc/grpc-js';
import { isPolyinferError, PolyinferError } from '@polyinfer/core';

/** The error codes @polyinfer/server raises (core's are in CoreErrorCode). */
export type ServerErrorCode = 'BAD_REQUEST' | 'MODEL_NOT_SERVED' | 'QUEUE_FULL' | 'PAYLOAD_TOO_LARGE' | 'UNAUTHORIZED' | 'SHUTTING_DOWN';

const HTTP_STATUS: Record<ServerErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  MODEL_NOT_SERVED: 404,
  PAYLOAD_TOO_LARGE: 413,
  QUEUE_FULL: 503,
  SHUTTING_DOWN: 503,
};

/** A request the server refuses, with the HTTP status (and gRPC status) the protocol gives it. */
export class ServerError extends PolyinferError<ServerErrorCode> {
  override readonly name = 'ServerError';
  constructor(code: ServerErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

/** Errors a caller made (their input does not fit the model): 400, never a server fault. */
const CALLER_CODES = new Set([
  'INVALID_TENSOR',
  'INVALID_INPUT_NAME',
  'MISSING_INPUT',
  'SHAPE_MISMATCH',
  'DTYPE_MISMATCH',
  'INVALID_CONFIG',
  'REMOTE_PROTOCOL',
  'IMAGE_DECODE_FAILED',
  'IMAGE_SIZE',
]);

/** The HTTP status an error becomes: the server's own, 400 for the caller's mistakes, 500 for anything else. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof ServerError) return error.httpStatus;
  if (isPolyinferError(error) && CALLER_CODES.has(error.code)) return 400;
  return 500;
}

/** The same, as a gRPC status (the protocol's mapping of HTTP classes). */
export function grpcStatusOf(error: unknown): grpcStatus {
  switch (httpStatusOf(error)) {
    case 400:
      return grpcStatus.INVALID_ARGUMENT;
    case 401:
      return grpcStatus.UNAUTHENTICATED;
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

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
