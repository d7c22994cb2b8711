import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import type { ServedModel } from './served-model.js';
import type { SchedulerOptions } from './model-scheduler.js';
import type { TlsFiles } from './http-front-end.js';
import { InferenceServer } from './inference-server.js';
import { createHttpFrontEnd } from './http-front-end.js';
import { createGrpcFrontEnd, grpcServerCredentials } from './grpc-front-end.js';
import { createMetricsFrontEnd } from './metrics-front-end.js';
import { HostPolicy } from './host-policy.js';
import { withinDeadline } from './within-deadline.js';

export interface ServeOptions extends Partial<SchedulerOptions> {
  models: readonly ServedModel[];
  /** Default 127.0.0.1: serving beyond this machine is a decision to write down. */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  httpPort?: number;
  /** Default 8001; 0 picks a free port; `false` serves REST only. */
  grpcPort?: number | false;
  /** Prometheus metrics (`GET /metrics`), default 8002 as Triton; 0 picks a free port; `false`: none. */
  metricsPort?: number | false;
  token?: string;
  /** Largest request body (REST) or message (gRPC), default 64 MiB; less for a model whose shapes bound it. */
  maxRequestBytes?: number;
  /** Request bytes being read or held at once over every connection, default 256 MiB; past it 503. */
  maxInflightBytes?: number;
  /** Host names accepted besides loopback ones when bound to loopback (or the only ones, when given); `*`: any. */
  allowedHosts?: readonly string[];
  /** Browser origins that may call the server (CORS); none by default, `*` for any. */
  corsOrigins?: readonly string[];
  /** After close() begins, how long in-flight requests get before every connection is cut, ms (default 30 000). */
  shutdownTimeoutMs?: number;
  /** A whole request must arrive within this, ms (default 60 000). */
  requestTimeoutMs?: number;
  /** Request headers must arrive within this, ms (default 10 000). */
  headersTimeoutMs?: number;
  /** Serve HTTPS and gRPC over TLS with this certificate (PEM) and key. */
  tls?: TlsFiles;
  version?: string;
  /** Internal failures, one line each with the request id (default: stderr). */
  log?: (line: string) => void;
}

export interface RunningServer {
  readonly server: InferenceServer;
  readonly http: { host: string; port: number; url: string };
  readonly grpc?: { host: string; port: number; url: string };
  readonly metrics?: { host: string; port: number; url: string };
  /**
   * Stops accepting, finishes in-flight requests for up to the shutdown timeout, then cuts what is left (stalled
   * uploads, idle keep-alive sockets, gRPC calls), disposes the models and closes every listener. Resolves whether
   * everything in flight was answered in time.
   */
  close(): Promise<{ drained: boolean }>;
}

export const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  httpPort: 8000,
  grpcPort: 8001,
  metricsPort: 8002,
  maxBatch: 8,
  maxRequestRows: 64,
  batchDelayMs: 2,
  maxQueue: 64,
  concurrency: 1,
  maxRequestBytes: 64 * 1024 * 1024,
  maxInflightBytes: 256 * 1024 * 1024,
  shutdownTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 10_000,
} as const;

const bracketed = (host: string): string => (host.includes(':') ? `[${host}]` : host);

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Serves the models over REST and gRPC (Open Inference Protocol / KServe v2), with Prometheus metrics beside. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const o = { ...SERVE_DEFAULTS, ...options };
  const server = new InferenceServer(
    options.models,
    {
      maxBatch: o.maxBatch,
      maxRequestRows: o.maxRequestRows,
      batchDelayMs: o.batchDelayMs,
      maxQueue: o.maxQueue,
      concurrency: o.concurrency,
    },
    {
      ...(o.token ? { token: o.token } : {}),
      version: o.version ?? '0.1.0',
      maxRequestBytes: o.maxRequestBytes,
      maxInflightBytes: o.maxInflightBytes,
      ...(o.log ? { log: o.log } : {}),
    },
  );
  const hosts = new HostPolicy({ bind: o.host, allowedHosts: o.allowedHosts ?? [], corsOrigins: o.corsOrigins ?? [] });
  const front = createHttpFrontEnd(server, {
    hosts,
    requestTimeoutMs: o.requestTimeoutMs,
    headersTimeoutMs: o.headersTimeoutMs,
    ...(o.tls ? { tls: o.tls } : {}),
  });
  const { http } = front;
  const scheme = o.tls ? 'https' : 'http';
  const opened: (() => Promise<void>)[] = [];
  const closeServer = (s: Server) => () => new Promise<void>((resolve) => s.close(() => resolve()));
  try {
    const httpPort = await listen(http, o.httpPort, o.host);
    opened.push(closeServer(http));
    let grpcServer: grpc.Server | undefined;
    let grpcPort: number | undefined;
    if (o.grpcPort !== false) {
      const bound = createGrpcFrontEnd(server);
      grpcPort = await new Promise<number>((resolve, reject) =>
        bound.bindAsync(`${bracketed(o.host)}:${o.grpcPort}`, grpcServerCredentials(o.tls), (error, port) =>
          error ? reject(error) : resolve(port),
        ),
      );
      grpcServer = bound;
      opened.push(async () => bound.forceShutdown());
    }
    let metricsServer: Server | undefined;
    let metricsPort: number | undefined;
    if (o.metricsPort !== false) {
      metricsServer = createMetricsFrontEnd(server.metrics, hosts, o.tls);
      metricsPort = await listen(metricsServer, o.metricsPort, o.host);
    }
    let closing: Promise<{ drained: boolean }> | undefined;
    return {
      server,
      http: { host: o.host, port: httpPort, url: `${scheme}://${bracketed(o.host)}:${httpPort}` },
      ...(grpcPort !== undefined
        ? { grpc: { host: o.host, port: grpcPort, url: `${o.tls ? 'grpcs://' : ''}${bracketed(o.host)}:${grpcPort}` } }
        : {}),
      ...(metricsPort !== undefined
        ? {
            metrics: {
              host: o.host,
              port: metricsPort,
              url: `${scheme}://${bracketed(o.host)}:${metricsPort}/metrics`,
            },
          }
        : {}),
      close() {
        closing ??= (async () => {
          // No new connections or calls; what was received is answered until the deadline; then everything left
          // (a stalled upload, a hung run, idle keep-alive sockets, open gRPC calls) is cut and the models released.
          const started = performance.now();
          server.beginShutdown();
          const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
          const g = grpcServer;
          const quiet = await withinDeadline(
            Promise.all([
              front.quiesce(),
              g ? new Promise<void>((resolve) => g.tryShutdown(() => resolve())) : undefined,
            ]),
            o.shutdownTimeoutMs,
          );
          const drained =
            (await server.shutdown(Math.max(0, o.shutdownTimeoutMs - (performance.now() - started)))) && quiet;
          await front.cutAll();
          g?.forceShutdown();
          await httpClosed;
          if (metricsServer) {
            metricsServer.closeAllConnections();
            await closeServer(metricsServer)();
          }
          return { drained };
        })();
        return closing;
      },
    };
  } catch (error) {
    await Promise.all(opened.map((close) => close()));
    throw error;
  }
}
