import type * as Undici from 'undici';
import type { Tensor } from '@polyinfer/core';
import { isPolyinferError } from '@polyinfer/core';
import type { V2ModelMetadata, V2ServerMetadata } from '@polyinfer/v2-protocol';
import {
  concatBytes,
  encodeRestInferRequest,
  INFERENCE_HEADER_CONTENT_LENGTH,
  parseRestInferResponse,
} from '@polyinfer/v2-protocol';
import type { V2Client, V2ClientOptions, V2InferCall } from './v2-client.js';
import { V2_CLIENT_DEFAULTS } from './v2-client.js';
import type { AttemptFailure } from './with-retries.js';
import { withRetries } from './with-retries.js';
import { RemoteProtocolError, RemoteRejectedError, RemoteUnavailableError } from './remote-errors.js';

/** An HTTP answer that is not a success: kept whole so the retry policy can read the status. */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly serverError: string,
  ) {
    super(`HTTP ${status}: ${serverError}`);
  }
}

type Options = Required<Omit<V2ClientOptions, 'token' | 'ca'>> & Pick<V2ClientOptions, 'token' | 'ca'>;

const modelPath = (model: string, version?: string): string =>
  `/v2/models/${encodeURIComponent(model)}${version ? `/versions/${encodeURIComponent(version)}` : ''}`;

/** Codes of a connection that never carried the request: safe to try again even for an inference. */
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/;
/** Codes of a connection that broke, possibly after the server got the request: only reads are tried again. */
const BROKEN = /^(ECONNRESET|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|UND_ERR_CLOSED)$/;

function connectionFailure(error: unknown): { code: string; sent: boolean } | undefined {
  if (!(error instanceof TypeError)) return undefined;
  const cause = (error as { cause?: { code?: string; cause?: { code?: string } } }).cause;
  const code = cause?.code ?? cause?.cause?.code;
  if (code === undefined) return undefined;
  if (NOT_SENT.test(code)) return { code, sent: false };
  if (BROKEN.test(code)) return { code, sent: true };
  return undefined;
}

/** A TLS handshake the client refused (an untrusted or mismatched certificate): said so, with what to do. */
function tlsFailure(error: unknown): string | undefined {
  if (!(error instanceof TypeError)) return undefined;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (!cause?.code || !/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(cause.code)) return undefined;
  return `the server's TLS certificate is not trusted (${cause.code}: ${cause.message ?? ''}); give its CA as the client's \`ca\``;
}

/** The body, read chunk by chunk and refused as soon as it passes the limit (a lying Content-Length included). */
async function readLimited(response: Response, limit: number, server: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  const tooLarge = (size: string): RemoteProtocolError =>
    new RemoteProtocolError(`${server} sent ${size} bytes; the client reads at most ${limit} (maxResponseBytes)`, {
      server,
      limit,
    });
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge(String(declared));
  }
  if (!response.body) return new Uint8Array(0);
  // A declared length within the limit is all fetch will deliver (a longer body is a fetch error): read it at once.
  if (response.headers.has('content-length')) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(`over ${limit}`);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks);
}

async function errorText(bytes: Uint8Array, statusText: string): Promise<string> {
  const text = new TextDecoder().decode(bytes).slice(0, 4096);
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // Not the protocol's error object: the text itself says what happened.
  }
  return text.trim() || statusText || 'no error message';
}

/**
 * `fetch` for this client: the platform's, or — with a CA to trust — undici's with an agent of its own that trusts it
 * (Node); `close` ends that agent's connections.
 */
async function fetchWith(ca: string | Uint8Array | undefined): Promise<{ fetch: typeof fetch; close(): void }> {
  if (ca === undefined) return { fetch, close: () => undefined };
  // A variable specifier keeps bundlers from pulling undici into a browser build, where the browser's CAs apply.
  const specifier = 'undici';
  const undici = (await import(/* @vite-ignore */ specifier)) as typeof Undici;
  const dispatcher = new undici.Agent({ connect: { ca: typeof ca === 'string' ? ca : Buffer.from(ca) } });
  const fetchVia = ((input: string, init: RequestInit) =>
    undici.fetch(input, { ...(init as object), dispatcher } as Parameters<
      typeof undici.fetch
    >[1])) as unknown as typeof fetch;
  return { fetch: fetchVia, close: () => void dispatcher.close() };
}

/**
 * The Open Inference Protocol over REST, with Triton's binary tensor data extension for numeric tensors by default.
 * `fetch` keeps connections alive and reuses them between calls. Redirects are never followed (the token would go
 * with them); answers are read up to `maxResponseBytes` and every size the server states is checked.
 */
export class HttpV2Client implements V2Client {
  readonly server: string;
  readonly #options: Options;
  #fetch: Promise<{ fetch: typeof fetch; close(): void }> | undefined;

  constructor(url: string, options: V2ClientOptions = {}) {
    if (!/^https?:\/\//i.test(url))
      throw new RemoteProtocolError(`a REST endpoint is an http(s):// URL, got "${url}"`, { url });
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
    return this.#json(await this.#request('GET', '/v2', undefined, signal)) as V2ServerMetadata;
  }

  async modelMetadata(model: string, version?: string, signal?: AbortSignal): Promise<V2ModelMetadata> {
    return this.#json(
      await this.#request('GET', modelPath(model, version), undefined, signal, model),
      model,
    ) as V2ModelMetadata;
  }

  async infer(call: V2InferCall): Promise<Record<string, Tensor>> {
    const { body, headerLength } = encodeRestInferRequest({
      inputs: call.inputs,
      ...(call.outputs ? { outputs: call.outputs } : {}),
      ...(call.id ? { id: call.id } : {}),
      binary: this.#options.binary,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (headerLength !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      headers[INFERENCE_HEADER_CONTENT_LENGTH] = String(headerLength);
    }
    const answer = await this.#request(
      'POST',
      `${modelPath(call.model, call.version)}/infer`,
      { body, headers },
      call.signal,
      call.model,
    );
    try {
      return parseRestInferResponse(answer.bytes, answer.headers.get(INFERENCE_HEADER_CONTENT_LENGTH));
    } catch (error) {
      if (isPolyinferError(error, 'V2_PROTOCOL'))
        throw new RemoteProtocolError(
          `${this.server} (model ${call.model}) sent an inference response that breaks the protocol: ${error.message}`,
          { server: this.server, model: call.model },
        );
      throw error;
    }
  }

  close(): void {
    // The platform fetch's pool is process-wide and closes idle sockets itself; an agent made for `ca` is this client's.
    void this.#fetch?.then((f) => f.close());
    this.#fetch = undefined;
  }

  #json(answer: { bytes: Uint8Array }, model?: string): unknown {
    try {
      return JSON.parse(new TextDecoder().decode(answer.bytes));
    } catch (error) {
      throw new RemoteProtocolError(`${this.server} sent a body that is not JSON: ${(error as Error).message}`, {
        server: this.server,
        ...(model ? { model } : {}),
      });
    }
  }

  async #health(path: string, signal: AbortSignal | undefined, model?: string): Promise<boolean> {
    try {
      await this.#request('GET', path, undefined, signal, model);
      return true;
    } catch (error) {
      // The protocol: 200 is true, a 4xx is false.
      if (
        error instanceof RemoteRejectedError &&
        typeof error.status === 'number' &&
        error.status >= 400 &&
        error.status < 500
      )
        return false;
      throw error;
    }
  }

  #request(
    method: 'GET' | 'POST',
    path: string,
    init: { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } | undefined,
    signal: AbortSignal | undefined,
    model?: string,
  ): Promise<{ bytes: Uint8Array; headers: Headers }> {
    const target = model === undefined ? { server: this.server } : { server: this.server, model };
    const { timeoutMs, retries, backoffMs, token, maxResponseBytes } = this.#options;
    let timedOut = false;
    const attempt = async (): Promise<{ bytes: Uint8Array; headers: Headers }> => {
      const timeout = AbortSignal.timeout(timeoutMs);
      timeout.addEventListener('abort', () => (timedOut = true), { once: true });
      const headers: Record<string, string> = { ...init?.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      this.#fetch ??= fetchWith(this.#options.ca);
      const response = await (
        await this.#fetch
      ).fetch(`${this.server}${path}`, {
        method,
        headers,
        redirect: 'manual',
        ...(init ? { body: init.body } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') {
        await response.body?.cancel();
        throw new RemoteProtocolError(
          `${this.server} redirected ${method} ${path} (${response.status}${response.headers.get('location') ? ` to ${response.headers.get('location')}` : ''}); redirects are not followed, so the token never goes elsewhere`,
          { ...target, status: response.status },
        );
      }
      const bytes = await readLimited(response, maxResponseBytes, this.server);
      if (!response.ok) throw new HttpStatusError(response.status, await errorText(bytes, response.statusText));
      return { bytes, headers: response.headers };
    };
    const classify = (error: unknown): AttemptFailure => {
      if (signal?.aborted) return { kind: 'cancelled' };
      if (timedOut || (error as Error).name === 'TimeoutError') return { kind: 'timeout' };
      if (error instanceof HttpStatusError) {
        // A 503 is the server saying it did not take the request (a full queue, shutting down): safe to repeat.
        return error.status === 503
          ? { kind: 'retryable', reason: `503 ${error.serverError}` }
          : { kind: 'final', error: new RemoteRejectedError(target, error.status, error.serverError) };
      }
      const failure = connectionFailure(error);
      if (failure && (!failure.sent || method === 'GET'))
        return { kind: 'retryable', reason: failure.code, cause: error };
      if (failure)
        return {
          kind: 'final',
          error: new RemoteUnavailableError(
            target,
            `the connection broke after the inference request was sent (${failure.code}); not sent again, since the server may have run it`,
            1,
            error,
          ),
        };
      const tls = tlsFailure(error);
      if (tls) return { kind: 'final', error: new RemoteUnavailableError(target, tls, 1, error) };
      return { kind: 'final', error };
    };
    return withRetries(target, { retries, backoffMs, timeoutMs, signal }, attempt, classify);
  }
}
