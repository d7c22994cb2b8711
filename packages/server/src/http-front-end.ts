import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import {
  INFERENCE_HEADER_CONTENT_LENGTH,
  encodeRestInferResponse,
  parseRestInferRequest,
} from '@polyinfer/v2-protocol';
import type { InferenceServer } from './inference-server.js';
import type { HostPolicy } from './host-policy.js';
import { asCallerError } from './caller-error.js';
import { ClientPresence } from './client-presence.js';
import { withinDeadline } from './within-deadline.js';
import { httpStatusOf, publicMessageOf, ServerError } from './server-errors.js';

const MODEL = '/v2/models/([^/]+)(?:/versions/([^/]+))?';
const ROUTES = {
  live: /^\/v2\/health\/live$/,
  ready: /^\/v2\/health\/ready$/,
  server: /^\/v2\/?$/,
  modelReady: new RegExp(`^${MODEL}/ready$`),
  infer: new RegExp(`^${MODEL}/infer$`),
  stats: new RegExp(`^/v2/models(?:/([^/]+)(?:/versions/([^/]+))?)?/stats$`),
  metadata: new RegExp(`^${MODEL}$`),
};

/** The only bodies infer takes: the JSON form and the binary extension's. */
const INFER_CONTENT_TYPES = new Set(['application/json', 'application/octet-stream']);
const CORS_HEADERS = 'Authorization, Content-Type, Inference-Header-Content-Length';
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface HttpFrontEndOptions {
  hosts: HostPolicy;
  /** The whole request must arrive within this (slow uploads are cut), ms. */
  requestTimeoutMs: number;
  /** The headers must arrive within this (slowloris), ms. */
  headersTimeoutMs: number;
  tls?: TlsFiles;
}

/** The body, read up to `limit` bytes (the Content-Length is checked before a byte is read). */
function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? 0);
  const tooLarge = (size: string): ServerError =>
    new ServerError('PAYLOAD_TOO_LARGE', `the request body is ${size} bytes; the limit for this model is ${limit}`, {
      limit,
    });
  if (declared > limit) return Promise.reject(tooLarge(String(declared)));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        chunks.length = 0;
        reject(tooLarge(`over ${limit}`));
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(
        chunks.length === 1
          ? new Uint8Array(
              (chunks[0] as Buffer).buffer,
              (chunks[0] as Buffer).byteOffset,
              (chunks[0] as Buffer).byteLength,
            )
          : new Uint8Array(Buffer.concat(chunks, size)),
      ),
    );
    request.on('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new ServerError('BAD_REQUEST', 'the client left before its body arrived'));
    });
  });
}

/** An object goes as JSON; bytes go as they are, JSON unless `binary` (the binary extension's body). */
function send(
  response: ServerResponse,
  status: number,
  body?: Uint8Array | object,
  headers: Record<string, string | number> = {},
  binary = false,
): void {
  if (response.headersSent || response.destroyed) return;
  if (body === undefined) {
    response.writeHead(status, { 'content-length': 0, ...headers }).end();
    return;
  }
  const bytes = body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body));
  response
    .writeHead(status, {
      'content-type': binary ? 'application/octet-stream' : 'application/json',
      'content-length': bytes.byteLength,
      ...headers,
    })
    .end(bytes);
}

const decode = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : asCallerError(() => decodeURIComponent(value));

/** The REST listener and what a graceful shutdown needs of it. */
export interface HttpFrontEnd {
  readonly http: Server;
  /** Refuses requests that start from now on (503, Connection: close); resolves once those already started are answered. */
  quiesce(): Promise<void>;
  /**
   * Answers every request still open with 503 (a stalled upload, a run past the deadline), gives those answers a
   * moment to leave, then ends every connection: idle keep-alive sockets too.
   */
  cutAll(): Promise<void>;
}

/**
 * The REST front end: the protocol's routes, binary extension, statistics; each error a v2 error body. Host and
 * Origin are checked before anything else; a client that leaves takes its queued request with it.
 */
export function createHttpFrontEnd(server: InferenceServer, options: HttpFrontEndOptions): HttpFrontEnd {
  let active = 0;
  let closing = false;
  const idle: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const open = new Set<ServerResponse>();

  const refuse = (response: ServerResponse, error: ServerError): void => {
    server.metrics.refused(error.code.toLowerCase());
    // The body is not read: the connection goes with the answer, so a refused upload is not received.
    send(response, error.httpStatus, { error: error.message }, { connection: 'close' });
  };

  const corsHeaders = (request: IncomingMessage): Record<string, string> => {
    const origin = request.headers.origin;
    if (!origin || !options.hosts.corsEnabled || !options.hosts.originAllowed(origin)) return NO_HEADERS;
    return {
      'access-control-allow-origin': origin,
      vary: 'Origin',
      'access-control-expose-headers': INFERENCE_HEADER_CONTENT_LENGTH,
    };
  };

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    cors: Record<string, string>,
    presence: ClientPresence,
  ): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] as string;
    const method = request.method ?? 'GET';
    // Health probes answer without a token (Kubernetes probes carry none) and without a body.
    if (ROUTES.live.test(path)) return send(response, 200, undefined, cors);
    if (ROUTES.ready.test(path)) return send(response, server.ready ? 200 : 503, undefined, cors);
    server.authorize(request.headers.authorization);
    let match: RegExpExecArray | null;
    if ((match = ROUTES.infer.exec(path))) {
      if (method !== 'POST') throw new ServerError('BAD_REQUEST', `infer is a POST, not a ${method}`);
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      // No type at all is a non-browser client; a browser's cross-site post always carries an Origin, checked above.
      if (type !== '' && !INFER_CONTENT_TYPES.has(type)) {
        throw new ServerError(
          'UNSUPPORTED_MEDIA_TYPE',
          `infer takes application/json or application/octet-stream bodies, not ${type.slice(0, 100)}`,
        );
      }
      const [name, version] = [decode(match[1]) as string, decode(match[2])];
      const limit = server.requestLimit(name, version);
      const declared = Number(request.headers['content-length'] ?? 0);
      const release = server.reserveBytes(
        Math.min(Number.isFinite(declared) && declared > 0 ? declared : limit, limit),
      );
      let encoded: { body: Uint8Array; headerLength?: number };
      try {
        const body = await readBody(request, limit);
        const headerValue = request.headers[INFERENCE_HEADER_CONTENT_LENGTH];
        const parsed = asCallerError(() =>
          parseRestInferRequest(body, headerValue === undefined ? undefined : Number(headerValue)),
        );
        const outputs = await server.infer(name, version, parsed.inputs, parsed.outputs, presence);
        encoded = encodeRestInferResponse(
          {
            model_name: name,
            model_version: server.scheduler(name).model.version,
            ...(parsed.id ? { id: parsed.id } : {}),
          },
          outputs,
          parsed.binaryOutput,
        );
      } finally {
        release();
      }
      if (encoded.headerLength === undefined) return send(response, 200, encoded.body, cors);
      return send(
        response,
        200,
        encoded.body,
        { ...cors, [INFERENCE_HEADER_CONTENT_LENGTH]: encoded.headerLength },
        true,
      );
    }
    if (method !== 'GET')
      throw new ServerError('BAD_REQUEST', `${method} ${path.slice(0, 200)} is not a route of this server`);
    if (ROUTES.server.test(path)) return send(response, 200, server.serverMetadata(), cors);
    if ((match = ROUTES.stats.exec(path)))
      return send(response, 200, server.statistics(decode(match[1]), decode(match[2])), cors);
    if ((match = ROUTES.modelReady.exec(path))) {
      server.scheduler(decode(match[1]) as string, decode(match[2]));
      return send(response, server.ready ? 200 : 503, undefined, cors);
    }
    if ((match = ROUTES.metadata.exec(path)))
      return send(response, 200, server.modelMetadata(decode(match[1]) as string, decode(match[2])), cors);
    throw new ServerError('ROUTE_NOT_FOUND', `${path.slice(0, 200)} is not a route of this server`);
  };

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const requestId = server.newRequestId();
    response.setHeader('x-request-id', requestId);
    const hostProblem = options.hosts.hostProblem(request.headers.host);
    if (hostProblem) return refuse(response, new ServerError('FORBIDDEN', hostProblem));
    const origin = request.headers.origin;
    if (origin !== undefined && !options.hosts.originAllowed(origin)) {
      return refuse(
        response,
        new ServerError(
          'FORBIDDEN',
          `Origin ${origin.slice(0, 100)} may not call this server (--cors-origins lists those that may)`,
        ),
      );
    }
    const cors = corsHeaders(request);
    if (request.method === 'OPTIONS' && origin !== undefined) {
      return send(response, 204, undefined, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': CORS_HEADERS,
        'access-control-max-age': 600,
      });
    }
    if (closing) {
      // Keep-alive connections outlive the listener: what starts after shutdown began is told so, not dropped.
      response.setHeader('connection', 'close');
      if (!ROUTES.live.test(request.url ?? ''))
        return send(response, 503, { error: 'the server is shutting down' }, cors);
    }
    active++;
    open.add(response);
    const presence = new ClientPresence();
    response.once('close', () => {
      open.delete(response);
      // The client's leaving (its socket closing before the answer) takes its request out of the queue.
      if (!response.writableFinished) presence.leave();
      active--;
      if (active === 0) for (const resolve of idle.splice(0)) resolve();
    });
    handle(request, response, cors, presence).catch((error: unknown) => {
      // A failed request never takes the server down: it gets its v2 error body and the next one is served.
      const status = httpStatusOf(error);
      if (status >= 500 && status !== 503)
        server.logInternal(requestId, `${request.method} ${(request.url ?? '').slice(0, 200)}`, error);
      const body = { error: publicMessageOf(error, requestId) };
      // An answer sent before the body was read in full closes the connection (the rest of the upload is not wanted).
      const extra: Record<string, string> = request.complete ? {} : { connection: 'close' };
      send(response, status, body, { ...cors, ...extra, ...(status === 503 ? { 'retry-after': '1' } : {}) });
    });
  };
  const serverOptions = {
    requestTimeout: options.requestTimeoutMs,
    headersTimeout: options.headersTimeoutMs,
    connectionsCheckingInterval: 1000,
    keepAliveTimeout: 5000,
  };
  const http = (
    options.tls
      ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, listener)
      : createHttpServer(serverOptions, listener)
  ) as Server;
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  http.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    http,
    quiesce() {
      closing = true;
      return active === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve));
    },
    async cutAll() {
      const answered = [...open].map((response) => {
        send(
          response,
          503,
          { error: 'the server shut down before this request was answered' },
          { connection: 'close' },
        );
        return new Promise<void>((resolve) =>
          response.writableFinished || response.destroyed
            ? resolve()
            : response.once('close', () => resolve()).once('finish', () => resolve()),
        );
      });
      await withinDeadline(Promise.all(answered), 1000);
      http.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    },
  };
}
