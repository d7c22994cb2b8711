import type { Tensor } from '@polyinfer/core';
import type { V2Client, V2ClientOptions, V2InferCall } from './v2-client.js';
import { V2_CLIENT_DEFAULTS } from './v2-client.js';
import type { V2InferenceRequest, V2InferenceResponse, V2ModelMetadata, V2ServerMetadata } from './v2-messages.js';
import { INFERENCE_HEADER_CONTENT_LENGTH } from './v2-messages.js';
import type { AttemptFailure } from './with-retries.js';
import { withRetries } from './with-retries.js';
import { RemoteProtocolError, RemoteRejectedError } from './remote-errors.js';
import { tensorFromBytes, tensorFromJson, tensorToBytes, tensorToJson, toV2Datatype } from './v2-datatypes.js';

/** An HTTP answer that is not a success: kept whole so the retry policy can read the status. */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly serverError: string,
  ) {
    super(`HTTP ${status}: ${serverError}`);
  }
}

const modelPath = (model: string, version?: string): string =>
  `/v2/models/${encodeURIComponent(model)}${version ? `/versions/${encodeURIComponent(version)}` : ''}`;

async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // Not the protocol's error object: the text itself says what happened.
  }
  return text.trim() || response.statusText || 'no error message';
}

/** The transport failures worth another attempt: the connection, not the request, failed. */
function isConnectionFailure(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return error instanceof TypeError && (cause?.code === undefined || /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|UND_ERR_)/.test(cause.code));
}

/**
 * The Open Inference Protocol over REST, with Triton's binary tensor data extension for numeric tensors by default.
 * `fetch` keeps connections alive and reuses them between calls.
 */
export class HttpV2Client implements V2Client {
  readonly server: string;
  readonly #options: Required<Omit<V2ClientOptions, 'token'>> & { token?: string };

  constructor(url: string, options: V2ClientOptions = {}) {
    if (!/^https?:\/\//i.test(url)) throw new RemoteProtocolError(`a REST endpoint is an http(s):// URL, got "${url}"`, { url });
    this.server = url.replace(/\/+$/, '');
    this.#options = { ...V2_CLIENT_DEFAULTS, ...options };
  }

  async serverLive(signal?: AbortSignal): Promise<boolean> {
    return this.#health('/v2/health/live', signal);
  }

  async serverReady(signal?: AbortSignal): Promise<boolean> {
    return this.#health('/v2/health/ready', signal);
  }

  async modelReady(model: string, version?: string, signal?: AbortSignal): Promise<boolean> {
    return this.#health(`${modelPath(model, version)}/ready`, signal, model);
  }

  async serverMetadata(signal?: AbortSignal): Promise<V2ServerMetadata> {
    return (await this.#request('GET', '/v2', undefined, signal)).json() as Promise<V2ServerMetadata>;
  }

  async modelMetadata(model: string, version?: string, signal?: AbortSignal): Promise<V2ModelMetadata> {
    return (await this.#request('GET', modelPath(model, version), undefined, signal, model)).json() as Promise<V2ModelMetadata>;
  }

  async infer(call: V2InferCall): Promise<Record<string, Tensor>> {
    const binary = this.#options.binary;
    const tensors = Object.entries(call.inputs);
    const request: V2InferenceRequest = {
      ...(call.id ? { id: call.id } : {}),
      inputs: tensors.map(([name, t]) => ({
        name,
        shape: [...t.dims],
        datatype: toV2Datatype(t.dtype),
        ...(binary ? { parameters: { binary_data_size: t.data.byteLength } } : { data: tensorToJson(t) }),
      })),
      ...(call.outputs ? { outputs: call.outputs.map((name) => ({ name, parameters: { binary_data: binary } })) } : {}),
      ...(binary && !call.outputs ? { parameters: { binary_data_output: true } } : {}),
    };
    const header = new TextEncoder().encode(JSON.stringify(request));
    let body: Uint8Array<ArrayBuffer> = header;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (binary) {
      const parts = tensors.map(([, t]) => tensorToBytes(t));
      body = new Uint8Array(header.byteLength + parts.reduce((n, p) => n + p.byteLength, 0));
      body.set(header, 0);
      let offset = header.byteLength;
      for (const part of parts) {
        body.set(part, offset);
        offset += part.byteLength;
      }
      headers['content-type'] = 'application/octet-stream';
      headers[INFERENCE_HEADER_CONTENT_LENGTH] = String(header.byteLength);
    }
    const response = await this.#request('POST', `${modelPath(call.model, call.version)}/infer`, { body, headers }, call.signal, call.model);
    return this.#readOutputs(response, call.model);
  }

  close(): void {
    // fetch's connection pool is process-wide and closes idle sockets itself.
  }

  async #readOutputs(response: Response, model: string): Promise<Record<string, Tensor>> {
    const bytes = new Uint8Array(await response.arrayBuffer());
    const headerLength = Number(response.headers.get(INFERENCE_HEADER_CONTENT_LENGTH) ?? bytes.byteLength);
    if (!Number.isInteger(headerLength) || headerLength > bytes.byteLength) {
      throw new RemoteProtocolError(`${this.server} sent ${INFERENCE_HEADER_CONTENT_LENGTH} ${headerLength} for a body of ${bytes.byteLength} bytes`, { server: this.server, model });
    }
    let parsed: V2InferenceResponse;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(0, headerLength))) as V2InferenceResponse;
    } catch (error) {
      throw new RemoteProtocolError(`${this.server} sent an inference response that is not JSON: ${(error as Error).message}`, { server: this.server, model });
    }
    if (!Array.isArray(parsed.outputs)) throw new RemoteProtocolError(`${this.server} sent an inference response without outputs`, { server: this.server, model });
    const outputs: Record<string, Tensor> = {};
    let offset = headerLength;
    for (const output of parsed.outputs) {
      const size = output.parameters?.binary_data_size;
      if (typeof size === 'number') {
        outputs[output.name] = tensorFromBytes(output.datatype, output.shape, bytes.subarray(offset, offset + size));
        offset += size;
      } else {
        outputs[output.name] = tensorFromJson(output.datatype, output.shape, output.data);
      }
    }
    return outputs;
  }

  async #health(path: string, signal: AbortSignal | undefined, model?: string): Promise<boolean> {
    try {
      await this.#request('GET', path, undefined, signal, model);
      return true;
    } catch (error) {
      // The protocol: 200 is true, a 4xx is false.
      if (error instanceof RemoteRejectedError && typeof error.status === 'number' && error.status >= 400 && error.status < 500) return false;
      throw error;
    }
  }

  #request(method: string, path: string, init: { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } | undefined, signal: AbortSignal | undefined, model?: string): Promise<Response> {
    const target = model === undefined ? { server: this.server } : { server: this.server, model };
    const { timeoutMs, retries, backoffMs, token } = this.#options;
    let timedOut = false;
    const attempt = async (): Promise<Response> => {
      const timeout = AbortSignal.timeout(timeoutMs);
      timeout.addEventListener('abort', () => (timedOut = true), { once: true });
      const headers: Record<string, string> = { ...init?.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${this.server}${path}`, {
        method,
        headers,
        ...(init ? { body: init.body as Uint8Array<ArrayBuffer> } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      if (!response.ok) throw new HttpStatusError(response.status, await errorText(response));
      return response;
    };
    const classify = (error: unknown): AttemptFailure => {
      if (signal?.aborted) return { kind: 'cancelled' };
      if (timedOut || (error as Error).name === 'TimeoutError') return { kind: 'timeout' };
      if (error instanceof HttpStatusError) {
        return error.status === 503 ? { kind: 'retryable', reason: `503 ${error.serverError}` } : { kind: 'final', error: new RemoteRejectedError(target, error.status, error.serverError) };
      }
      if (isConnectionFailure(error)) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        return { kind: 'retryable', reason: cause?.code ?? cause?.message ?? (error as Error).message, cause: error };
      }
      return { kind: 'final', error };
    };
    return withRetries(target, { retries, backoffMs, timeoutMs, signal }, attempt, classify);
  }
}
