import type { Tensor } from '@polyinfer/core';
import type { V2ModelMetadata, V2ServerMetadata } from '@polyinfer/v2-protocol';

/** One inference call: named input tensors in, the outputs asked for (default: all) out. */
export interface V2InferCall {
  model: string;
  version?: string;
  inputs: Record<string, Tensor>;
  outputs?: readonly string[];
  /** Cancels the call (and its retries). */
  signal?: AbortSignal;
  id?: string;
}

/** The protocol's operations, the same over REST and gRPC. */
export interface V2Client {
  /** The server's address, for messages. */
  readonly server: string;
  serverLive(signal?: AbortSignal): Promise<boolean>;
  serverReady(signal?: AbortSignal): Promise<boolean>;
  modelReady(model: string, version?: string, signal?: AbortSignal): Promise<boolean>;
  serverMetadata(signal?: AbortSignal): Promise<V2ServerMetadata>;
  modelMetadata(model: string, version?: string, signal?: AbortSignal): Promise<V2ModelMetadata>;
  infer(call: V2InferCall): Promise<Record<string, Tensor>>;
  close(): void;
}

/** How a client behaves on the wire; every field has a default. */
export interface V2ClientOptions {
  /** Per attempt, in ms (default 30 000). */
  timeoutMs?: number;
  /**
   * Further attempts (default 2) only where the request cannot have run: the connection was refused, or the server
   * answered 503 / UNAVAILABLE before running it. An inference is never sent twice after a connection that broke
   * once the request was on its way; reads (health, metadata) are also retried after such a break.
   */
  retries?: number;
  /** First backoff in ms, doubled per retry, with ±50 % jitter (default 100). */
  backoffMs?: number;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** REST only: numeric tensors as binary data (Triton's binary extension; default true) or as JSON arrays. */
  binary?: boolean;
  /** The largest answer read (default 256 MiB): a server that sends more is a protocol error, not an out-of-memory. */
  maxResponseBytes?: number;
  /**
   * Node only: PEM certificate(s) to trust for `https://` and `grpcs://` besides the system's (a private CA, or the
   * server's own self-signed certificate).
   */
  ca?: string | Uint8Array;
}

export const V2_CLIENT_DEFAULTS = {
  timeoutMs: 30_000,
  retries: 2,
  backoffMs: 100,
  binary: true,
  maxResponseBytes: 256 * 1024 * 1024,
} as const;
