import * as grpc from '@grpc/grpc-js';
import type { Tensor } from '@polyinfer/core';
import type { V2Client, V2ClientOptions, V2InferCall } from './v2-client.js';
import { V2_CLIENT_DEFAULTS } from './v2-client.js';
import type { V2ModelMetadata, V2ServerMetadata } from '@polyinfer/v2-protocol';
import { isPolyinferError } from '@polyinfer/core';
import { readInput, stringTensorFromElements, toV2Datatype } from '@polyinfer/v2-protocol';
import type { GrpcInferRequest, GrpcInferResponse } from '@polyinfer/v2-protocol/grpc';
import { grpcSourceOf, NOT_RUN_METADATA_KEY, v2ServiceClient } from '@polyinfer/v2-protocol/grpc';
import type { AttemptFailure } from './with-retries.js';
import { withRetries } from './with-retries.js';
import { RemoteProtocolError, RemoteRejectedError, RemoteUnavailableError } from './remote-errors.js';
import { tensorToBytes } from '@polyinfer/v2-protocol';

type Unary = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

/** "host:port", "grpc://host:port", or "grpcs://host:port" (TLS). */
export function grpcAddress(url: string): string {
  const address = url.replace(/^grpcs?:\/\//i, '');
  if (!/^[\w.[\]:-]+:\d+$/.test(address))
    throw new RemoteProtocolError(
      `a gRPC endpoint is host:port (or grpc://host:port, grpcs://host:port), got "${url}"`,
      { url },
    );
  return address;
}

/**
 * The Open Inference Protocol over gRPC (@grpc/grpc-js, the official proto), tensors in `raw_input_contents` /
 * `raw_output_contents`. One channel per client, kept open until `close()`.
 */
export class GrpcV2Client implements V2Client {
  readonly server: string;
  readonly #client: grpc.Client;
  readonly #options: Required<Omit<V2ClientOptions, 'token' | 'ca'>> & Pick<V2ClientOptions, 'token' | 'ca'>;

  constructor(url: string, options: V2ClientOptions = {}) {
    this.server = grpcAddress(url);
    this.#options = { ...V2_CLIENT_DEFAULTS, ...options };
    const Client = v2ServiceClient();
    const { ca } = this.#options;
    const tls = /^grpcs:\/\//i.test(url) || ca !== undefined;
    const credentials = tls
      ? grpc.credentials.createSsl(ca === undefined ? null : Buffer.from(ca))
      : grpc.credentials.createInsecure();
    this.#client = new Client(this.server, credentials, {
      'grpc.max_receive_message_length': this.#options.maxResponseBytes,
      'grpc.max_send_message_length': 256 * 1024 * 1024,
      'grpc.keepalive_time_ms': 30_000,
    });
  }

  async serverLive(signal?: AbortSignal): Promise<boolean> {
    return ((await this.#call('ServerLive', {}, signal)) as { live: boolean }).live;
  }

  async serverReady(signal?: AbortSignal): Promise<boolean> {
    return ((await this.#call('ServerReady', {}, signal)) as { ready: boolean }).ready;
  }

  async modelReady(model: string, version?: string, signal?: AbortSignal): Promise<boolean> {
    return (
      (await this.#call('ModelReady', { name: model, version: version ?? '' }, signal, model)) as { ready: boolean }
    ).ready;
  }

  async serverMetadata(signal?: AbortSignal): Promise<V2ServerMetadata> {
    return (await this.#call('ServerMetadata', {}, signal)) as V2ServerMetadata;
  }

  async modelMetadata(model: string, version?: string, signal?: AbortSignal): Promise<V2ModelMetadata> {
    return (await this.#call(
      'ModelMetadata',
      { name: model, version: version ?? '' },
      signal,
      model,
    )) as V2ModelMetadata;
  }

  async infer(call: V2InferCall): Promise<Record<string, Tensor>> {
    const tensors = Object.entries(call.inputs);
    const request: GrpcInferRequest = {
      model_name: call.model,
      model_version: call.version ?? '',
      id: call.id ?? '',
      inputs: tensors.map(([name, t]) => ({ name, datatype: toV2Datatype(t.dtype), shape: [...t.dims] })),
      outputs: (call.outputs ?? []).map((name) => ({ name })),
      raw_input_contents: tensors.map(([, t]) => {
        const bytes = tensorToBytes(t);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }),
    };
    const response = (await this.#call('ModelInfer', request, call.signal, call.model)) as GrpcInferResponse;
    const outputs: Record<string, Tensor> = {};
    try {
      response.outputs.forEach((output, i) => {
        const read = readInput({
          name: output.name,
          datatype: output.datatype,
          shape: output.shape,
          source: grpcSourceOf(output, response.raw_output_contents[i]),
        });
        outputs[output.name] = 'tensor' in read ? read.tensor : stringTensorFromElements(read.shape, read.elements);
      });
    } catch (error) {
      if (isPolyinferError(error, 'V2_PROTOCOL'))
        throw new RemoteProtocolError(
          `${this.server} (model ${call.model}) sent an inference response that breaks the protocol: ${error.message}`,
          { server: this.server, model: call.model },
        );
      throw error;
    }
    return outputs;
  }

  close(): void {
    this.#client.close();
  }

  #call(method: string, request: unknown, signal: AbortSignal | undefined, model?: string): Promise<unknown> {
    const target = model === undefined ? { server: this.server } : { server: this.server, model };
    const { timeoutMs, retries, backoffMs, token } = this.#options;
    const metadata = new grpc.Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    const fn = (this.#client as unknown as Record<string, Unary>)[method] as Unary;
    const attempt = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const call = fn.call(
          this.#client,
          request,
          metadata,
          { deadline: Date.now() + timeoutMs },
          (error, response) => {
            signal?.removeEventListener('abort', cancel);
            if (error) reject(error);
            else resolve(response);
          },
        );
        const cancel = (): void => call.cancel();
        signal?.addEventListener('abort', cancel, { once: true });
      });
    const classify = (error: unknown): AttemptFailure => {
      const status = (error as grpc.ServiceError).code;
      if (signal?.aborted || status === grpc.status.CANCELLED) return { kind: 'cancelled' };
      if (status === grpc.status.DEADLINE_EXCEEDED) return { kind: 'timeout' };
      if (status === grpc.status.UNAVAILABLE) {
        // An inference is sent again only where it cannot have run: no connection was made, or the server said it
        // did not run it. Reads are always safe to repeat.
        const serviceError = error as grpc.ServiceError;
        const notRun =
          /No connection established|ECONNREFUSED/.test(serviceError.details) ||
          serviceError.metadata?.get(NOT_RUN_METADATA_KEY).length > 0;
        if (method !== 'ModelInfer' || notRun)
          return { kind: 'retryable', reason: `UNAVAILABLE: ${serviceError.details}`, cause: error };
        return {
          kind: 'final',
          error: new RemoteUnavailableError(
            target,
            `UNAVAILABLE after the inference request was sent (${serviceError.details}); not sent again, since the server may have run it`,
            1,
            error,
          ),
        };
      }
      if (status !== undefined)
        return {
          kind: 'final',
          error: new RemoteRejectedError(target, grpc.status[status] ?? status, (error as grpc.ServiceError).details),
        };
      return { kind: 'final', error };
    };
    return withRetries(target, { retries, backoffMs, timeoutMs, signal }, attempt, classify);
  }
}
