import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { INFERENCE_HEADER_CONTENT_LENGTH } from '@polyinfer/backend-remote';
import type { InferenceServer } from './inference-server.js';
import { encodeHttpInferResponse, parseHttpInferRequest } from './wire-codec.js';
import { httpStatusOf, messageOf, ServerError } from './server-errors.js';

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

function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new ServerError('PAYLOAD_TOO_LARGE', `the request body is ${declared} bytes; the limit is ${limit}`, { limit }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        reject(new ServerError('PAYLOAD_TOO_LARGE', `the request body is over the limit of ${limit} bytes`, { limit }));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    request.on('error', reject);
  });
}

/** An object goes as JSON; bytes go as they are, JSON unless `binary` (the binary extension's body). */
function send(response: ServerResponse, status: number, body?: Uint8Array | object, headers: Record<string, string | number> = {}, binary = false): void {
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const bytes = body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body));
  response.writeHead(status, { 'content-type': binary ? 'application/octet-stream' : 'application/json', 'content-length': bytes.byteLength, ...headers }).end(bytes);
}

const decode = (value: string | undefined): string | undefined => (value === undefined ? undefined : decodeURIComponent(value));

/** The REST listener and what a graceful shutdown needs of it. */
export interface HttpFrontEnd {
  readonly http: Server;
  /** Refuses requests that start from now on (503, Connection: close); resolves once those already started are answered. */
  quiesce(): Promise<void>;
}

/** The REST front end: the protocol's routes, binary extension, statistics; each error a v2 error body. */
export function createHttpFrontEnd(server: InferenceServer, options: { maxBodyBytes: number }): HttpFrontEnd {
  let active = 0;
  let closing = false;
  const idle: (() => void)[] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] as string;
    const method = request.method ?? 'GET';
    // Health probes answer without a token (Kubernetes probes carry none) and without a body.
    if (ROUTES.live.test(path)) return send(response, 200);
    if (ROUTES.ready.test(path)) return send(response, server.accepting ? 200 : 503);
    server.authorize(request.headers.authorization);
    let match: RegExpExecArray | null;
    if ((match = ROUTES.infer.exec(path))) {
      if (method !== 'POST') throw new ServerError('BAD_REQUEST', `infer is a POST, not a ${method}`);
      const [name, version] = [decode(match[1]) as string, decode(match[2])];
      server.scheduler(name, version);
      const body = await readBody(request, options.maxBodyBytes);
      const headerValue = request.headers[INFERENCE_HEADER_CONTENT_LENGTH];
      const { request: parsed, inputs, binaryOutputs } = parseHttpInferRequest(body, headerValue === undefined ? undefined : Number(headerValue));
      const outputs = await server.infer(name, version, inputs, parsed.outputs?.map((o) => o.name));
      const encoded = encodeHttpInferResponse({ model_name: name, model_version: server.scheduler(name).model.version, ...(parsed.id ? { id: parsed.id } : {}) }, outputs, binaryOutputs);
      if (encoded.headerLength === undefined) return send(response, 200, encoded.body);
      return send(response, 200, encoded.body, { [INFERENCE_HEADER_CONTENT_LENGTH]: encoded.headerLength }, true);
    }
    if (method !== 'GET') throw new ServerError('BAD_REQUEST', `${method} ${path} is not a route of this server`);
    if (ROUTES.server.test(path)) return send(response, 200, server.serverMetadata());
    if ((match = ROUTES.stats.exec(path))) return send(response, 200, server.statistics(decode(match[1]), decode(match[2])));
    if ((match = ROUTES.modelReady.exec(path))) {
      server.scheduler(decode(match[1]) as string, decode(match[2]));
      return send(response, server.accepting ? 200 : 503);
    }
    if ((match = ROUTES.metadata.exec(path))) return send(response, 200, server.modelMetadata(decode(match[1]) as string, decode(match[2])));
    throw new ServerError('MODEL_NOT_SERVED', `${path} is not a route of this server`);
  };
  const http = createServer((request, response) => {
    if (closing) {
      // Keep-alive connections outlive the listener: what starts after shutdown began is told so, not dropped.
      response.setHeader('connection', 'close');
      if (!ROUTES.live.test(request.url ?? '')) return send(response, 503, { error: 'the server is shutting down' });
    }
    active++;
    response.once('close', () => {
      active--;
      if (active === 0) for (const resolve of idle.splice(0)) resolve();
    });
    handle(request, response).catch((error: unknown) => {
      // A failed request never takes the server down: it gets its v2 error body and the next one is served.
      if (!response.headersSent) send(response, httpStatusOf(error), { error: messageOf(error) });
      else response.destroy();
    });
  });
  return {
    http,
    quiesce() {
      closing = true;
      return active === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve));
    },
  };
}
