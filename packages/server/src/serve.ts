import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { ServedModel } from './served-model.js';
import type { SchedulerOptions } from './model-scheduler.js';
import { InferenceServer } from './inference-server.js';
import { createHttpFrontEnd } from './http-front-end.js';
import { createGrpcFrontEnd } from './grpc-front-end.js';

export interface ServeOptions extends Partial<SchedulerOptions> {
  models: readonly ServedModel[];
  /** Default 127.0.0.1: serving beyond this machine is a decision to write down. */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  httpPort?: number;
  /** Default 8001; 0 picks a free port; `false` serves REST only. */
  grpcPort?: number | false;
  token?: string;
  /** Largest request body (REST) or message (gRPC), default 64 MiB. */
  maxBodyBytes?: number;
  version?: string;
}

export interface RunningServer {
  readonly server: InferenceServer;
  readonly http: { host: string; port: number; url: string };
  readonly grpc?: { host: string; port: number; url: string };
  /** Stops accepting, finishes in-flight requests, disposes the models, closes both listeners. */
  close(): Promise<void>;
}

export const SERVE_DEFAULTS = { host: '127.0.0.1', httpPort: 8000, grpcPort: 8001, maxBatch: 8, batchDelayMs: 2, maxQueue: 64, concurrency: 1, maxBodyBytes: 64 * 1024 * 1024 } as const;

/** Serves the models over REST and gRPC (Open Inference Protocol / KServe v2). */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const o = { ...SERVE_DEFAULTS, ...options };
  const server = new InferenceServer(options.models, { maxBatch: o.maxBatch, batchDelayMs: o.batchDelayMs, maxQueue: o.maxQueue, concurrency: o.concurrency }, {
    ...(o.token ? { token: o.token } : {}),
    version: o.version ?? '0.1.0',
  });
  const front = createHttpFrontEnd(server, { maxBodyBytes: o.maxBodyBytes });
  const { http } = front;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.httpPort, o.host, () => resolve());
  });
  const httpPort = (http.address() as AddressInfo).port;
  let grpcServer: grpc.Server | undefined;
  let grpcPort: number | undefined;
  if (o.grpcPort !== false) {
    grpcServer = createGrpcFrontEnd(server, { maxBodyBytes: o.maxBodyBytes });
    const bound = grpcServer;
    const host = o.host.includes(':') ? `[${o.host}]` : o.host;
    try {
      grpcPort = await new Promise<number>((resolve, reject) => bound.bindAsync(`${host}:${o.grpcPort}`, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))));
    } catch (error) {
      await new Promise((resolve) => http.close(resolve));
      throw error;
    }
  }
  let closing: Promise<void> | undefined;
  return {
    server,
    http: { host: o.host, port: httpPort, url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${httpPort}` },
    ...(grpcPort !== undefined ? { grpc: { host: o.host, port: grpcPort, url: `${o.host}:${grpcPort}` } } : {}),
    close() {
      closing ??= (async () => {
        // No new connections or calls; requests already received are answered; then the queues drain and the
        // models are released.
        // Idle keep-alive connections stay open until the end: one may be carrying a request that just started,
        // which is answered (503 once closing) rather than cut.
        const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
        const g = grpcServer;
        await Promise.all([front.quiesce(), g ? new Promise<void>((resolve) => g.tryShutdown(() => resolve())) : undefined]);
        await server.shutdown();
        http.closeAllConnections();
        await httpClosed;
      })();
      return closing;
    },
  };
}
