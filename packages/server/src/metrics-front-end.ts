import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { HostPolicy } from './host-policy.js';
import type { TlsFiles } from './http-front-end.js';
import type { ServerMetrics } from './server-metrics.js';

/** `GET /metrics` in the Prometheus text format, on its own port (as Triton's 8002); Host checked as on the API port. */
export function createMetricsFrontEnd(metrics: ServerMetrics, hosts: HostPolicy, tls?: TlsFiles): Server {
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const plain = (status: number, text: string): void => {
      response
        .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
        .end(text);
    };
    const problem = hosts.hostProblem(request.headers.host);
    if (problem) return plain(403, `${problem}\n`);
    if ((request.url ?? '').split('?')[0] !== '/metrics' || request.method !== 'GET')
      return plain(404, 'GET /metrics\n');
    metrics.exposition().then(
      ({ body, contentType }) =>
        response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body),
      (error: unknown) => plain(500, `metrics failed: ${(error as Error).message}\n`),
    );
  };
  const options = { requestTimeout: 10_000, headersTimeout: 5_000 };
  return (
    tls
      ? createHttpsServer({ ...options, cert: tls.cert, key: tls.key }, listener)
      : createHttpServer(options, listener)
  ) as Server;
}
