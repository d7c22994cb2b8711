import type { DeviceInfo } from '@polyinfer/core';
import { ORT_NODE_BACKEND, ORT_NODE_DEVICES } from '@polyinfer/backend-ort-node/base';
import { ORT_WEB_BACKEND, ORT_WEB_DEVICES } from '@polyinfer/backend-ort-web/base';
import { TFJS_BACKEND, TFJS_DEVICES } from '@polyinfer/backend-tfjs/base';
import { REMOTE_BACKEND } from '@polyinfer/backend-remote/base';
import type { CellEnvironment } from './cell.js';

export interface Target {
  backend: string;
  device: string;
  environment: CellEnvironment;
  /** A remote target's server (an Open Inference Protocol endpoint). */
  url?: string;
}

/** The device tables the backends declare: what they are is theirs to say, not the harness's. */
const BACKEND_DEVICES: readonly (readonly [string, readonly DeviceInfo[]])[] = [
  [ORT_NODE_BACKEND, ORT_NODE_DEVICES],
  [ORT_WEB_BACKEND, ORT_WEB_DEVICES],
  [TFJS_BACKEND, TFJS_DEVICES],
];

/** Every backend:device polyinfer has, in each environment it can exist in: Node, then Chromium. Unavailable ones are reported, not dropped. */
export const ALL_TARGETS: readonly Target[] = (['node', 'browser'] as const).flatMap((environment) =>
  BACKEND_DEVICES.flatMap(([backend, devices]) =>
    devices
      .filter((d) => (d.environments ?? ['node', 'browser']).includes(environment))
      .map((d): Target => ({ backend, device: d.name, environment: environment === 'node' ? 'node' : 'chromium' })),
  ),
);

export const REFERENCE: Target = { backend: ORT_NODE_BACKEND, device: 'cpu', environment: 'node' };

export const targetName = (t: Target): string => `${t.backend}:${t.device}${t.url ? ` ${t.url}` : ''}${t.environment === 'chromium' ? ' (chromium)' : ''}`;

/**
 * `remote:http://host:8000` or `remote:grpc://host:8001`: a KServe v2 / Triton server is a target like any other (the
 * remote backend's device is the protocol). Undefined for any other filter.
 */
export function remoteTarget(filter: string): Target | undefined {
  const match = /^remote:(https?|grpc):\/\/(.+)$/i.exec(filter);
  if (!match) return undefined;
  const scheme = (match[1] as string).toLowerCase();
  return { backend: REMOTE_BACKEND, device: scheme === 'grpc' ? 'grpc' : 'http', environment: 'node', url: scheme === 'grpc' ? (match[2] as string) : filter.slice('remote:'.length) };
}

/** The part of a cell id that tells targets apart (a remote one by its server). */
export const targetKey = (t: Target): string => `${t.backend}-${t.device}-${t.url ? `${t.url.replace(/^\w+:\/\//, '').replace(/[^\w.-]+/g, '_')}-` : ''}${t.environment}`;

/** The remote backend's config for a remote target. */
export const remoteConfig = (t: { device: string; url?: string }): { url?: string; grpcUrl?: string } => (t.url === undefined ? {} : t.device === 'grpc' ? { grpcUrl: t.url } : { url: t.url });
