import { readFileSync } from 'node:fs';
import type { SessionConfig } from '@polyinfer/core';
import { isLoopbackHost, loadServedModels, serve, SERVE_DEFAULTS } from '@polyinfer/server';
import type { CliIo } from '../cli-io.js';
import { createCliRegistry } from '../cli-registry.js';

export interface ServeCommandOptions {
  host?: string;
  httpPort?: string;
  grpcPort?: string;
  model?: string[];
  backend?: string;
  device?: string;
  threads?: string;
  authTokenFile?: string;
  maxBatch?: string;
  batchDelayMs?: string;
  maxQueue?: string;
  metricsPort?: string;
  maxRequestMb?: string;
  maxRequestRows?: string;
  maxInflightMb?: string;
  maxImageMp?: string;
  allowedHosts?: string;
  corsOrigins?: string;
  shutdownTimeoutS?: string;
  requestTimeoutS?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** Resolves when the server should stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>;
}

const integer = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a non-negative integer, got "${value}"`);
  return n;
};

const positive = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} takes a positive number, got "${value}"`);
  return n;
};

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

function untilTerminated(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.once('SIGTERM', on);
    process.once('SIGINT', on);
  });
}

/** Serves models over the Open Inference Protocol until SIGTERM/SIGINT, then drains in-flight requests and exits 0. */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<number> {
  let running;
  try {
    const session: SessionConfig = {};
    if (options.backend) session.backend = options.backend;
    if (options.device)
      session.devices = options.device
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean);
    if (options.threads) session.options = { intraOpThreads: integer('threads', options.threads, 0) };
    const token = options.authTokenFile ? readFileSync(options.authTokenFile, 'utf8').trim() : undefined;
    if (options.authTokenFile && !token) throw new Error(`--auth-token-file ${options.authTokenFile} is empty`);
    if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) throw new Error('--tls-cert and --tls-key go together');
    const tls =
      options.tlsCert && options.tlsKey
        ? { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }
        : undefined;
    const metricsPort =
      options.metricsPort === 'off' ? false : integer('metrics-port', options.metricsPort, SERVE_DEFAULTS.metricsPort);
    const maxImagePixels = Math.round(positive('max-image-mp', options.maxImageMp, 40) * 1e6);
    const models = await loadServedModels({
      registry: createCliRegistry(io),
      specs: options.model ?? [],
      session,
      maxImagePixels,
    });
    running = await serve({
      models,
      host: options.host ?? SERVE_DEFAULTS.host,
      httpPort: integer('http-port', options.httpPort, SERVE_DEFAULTS.httpPort),
      grpcPort: integer('grpc-port', options.grpcPort, SERVE_DEFAULTS.grpcPort),
      maxBatch: Math.max(1, integer('max-batch', options.maxBatch, SERVE_DEFAULTS.maxBatch)),
      batchDelayMs: integer('batch-delay-ms', options.batchDelayMs, SERVE_DEFAULTS.batchDelayMs),
      maxQueue: integer('max-queue', options.maxQueue, SERVE_DEFAULTS.maxQueue),
      metricsPort,
      maxRequestRows: Math.max(1, integer('max-request-rows', options.maxRequestRows, SERVE_DEFAULTS.maxRequestRows)),
      maxRequestBytes: Math.round(
        positive('max-request-mb', options.maxRequestMb, SERVE_DEFAULTS.maxRequestBytes / 2 ** 20) * 2 ** 20,
      ),
      maxInflightBytes: Math.round(
        positive('max-inflight-mb', options.maxInflightMb, SERVE_DEFAULTS.maxInflightBytes / 2 ** 20) * 2 ** 20,
      ),
      allowedHosts: list(options.allowedHosts),
      corsOrigins: list(options.corsOrigins),
      shutdownTimeoutMs:
        positive('shutdown-timeout-s', options.shutdownTimeoutS, SERVE_DEFAULTS.shutdownTimeoutMs / 1000) * 1000,
      requestTimeoutMs:
        positive('request-timeout-s', options.requestTimeoutS, SERVE_DEFAULTS.requestTimeoutMs / 1000) * 1000,
      ...(tls ? { tls } : {}),
      ...(token ? { token } : {}),
    }).catch(async (error: unknown) => {
      await Promise.all(models.map((m) => m.dispose()));
      throw error;
    });
  } catch (error) {
    io.err(`polyinfer serve: ${(error as Error).message}\n`);
    return 2;
  }
  const names = running.server.modelNames;
  if (!isLoopbackHost(options.host ?? SERVE_DEFAULTS.host) && !options.tlsCert) {
    io.err(
      `polyinfer serve: warning: serving beyond this machine without TLS${options.authTokenFile ? ': the bearer token travels in clear text' : ''} (--tls-cert/--tls-key)\n`,
    );
  }
  io.out(
    `polyinfer serve: REST ${running.http.url}${running.grpc ? `, gRPC ${running.grpc.url}` : ''}${running.metrics ? `, metrics ${running.metrics.url}` : ''}; models: ${names.join(', ')}\n`,
  );
  await (options.stopSignal ?? untilTerminated());
  // A second SIGTERM/SIGINT during the wait ends the process at once: the handlers are gone, the default applies.
  io.out('polyinfer serve: stopping (finishing in-flight requests)\n');
  const { drained } = await running.close();
  io.out(
    drained
      ? 'polyinfer serve: stopped\n'
      : 'polyinfer serve: stopped at the shutdown timeout (requests still in flight were cut)\n',
  );
  return 0;
}
