import { readFileSync } from 'node:fs';
import type { SessionConfig } from '@polyinfer/core';
import { loadServedModels, serve, SERVE_DEFAULTS } from '@polyinfer/server';
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
  /** Resolves when the server should stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>;
}

const integer = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a non-negative integer, got "${value}"`);
  return n;
};

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
    if (options.device) session.devices = options.device.split(',').map((d) => d.trim()).filter(Boolean);
    if (options.threads) session.options = { intraOpThreads: integer('threads', options.threads, 0) };
    const token = options.authTokenFile ? readFileSync(options.authTokenFile, 'utf8').trim() : undefined;
    if (options.authTokenFile && !token) throw new Error(`--auth-token-file ${options.authTokenFile} is empty`);
    const models = await loadServedModels({ registry: createCliRegistry(io), specs: options.model ?? [], session });
    running = await serve({
      models,
      host: options.host ?? SERVE_DEFAULTS.host,
      httpPort: integer('http-port', options.httpPort, SERVE_DEFAULTS.httpPort),
      grpcPort: integer('grpc-port', options.grpcPort, SERVE_DEFAULTS.grpcPort),
      maxBatch: Math.max(1, integer('max-batch', options.maxBatch, SERVE_DEFAULTS.maxBatch)),
      batchDelayMs: integer('batch-delay-ms', options.batchDelayMs, SERVE_DEFAULTS.batchDelayMs),
      maxQueue: integer('max-queue', options.maxQueue, SERVE_DEFAULTS.maxQueue),
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
  io.out(`polyinfer serve: REST ${running.http.url}${running.grpc ? `, gRPC ${running.grpc.url}` : ''}; models: ${names.join(', ')}\n`);
  await (options.stopSignal ?? untilTerminated());
  io.out('polyinfer serve: stopping (finishing in-flight requests)\n');
  await running.close();
  io.out('polyinfer serve: stopped\n');
  return 0;
}
