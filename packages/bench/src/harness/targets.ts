import { BACKEND_CATALOGUE, catalogueTargets, REFERENCE_TARGET, remoteEntry } from '@polyinfer/backends';
import type { CellEnvironment } from './cell.js';

export interface Target {
  backend: string;
  device: string;
  environment: CellEnvironment;
  /** A remote target's server (an Open Inference Protocol endpoint). */
  url?: string;
  /** Why the device is too slow for every model (DeviceInfo.slow): only light models run there by default. */
  slow?: string;
}

/**
 * Every backend:device of the catalogue, in each environment it can exist in: Node, then Chromium. Unavailable ones
 * are reported, not dropped; remote backends are targets only when a server is named (`remote:URL`).
 */
export async function allTargets(): Promise<Target[]> {
  const local = BACKEND_CATALOGUE.filter((e) => !e.remote);
  const inNode = (await catalogueTargets('node', local)).map((t): Target => ({ ...t, environment: 'node' }));
  const inChromium = (await catalogueTargets('browser', local)).map((t): Target => ({ ...t, environment: 'chromium' }));
  return [...inNode, ...inChromium];
}

export const REFERENCE: Target = { ...REFERENCE_TARGET, environment: 'node' };

export const targetName = (t: Target): string =>
  `${t.backend}:${t.device}${t.url ? ` ${t.url}` : ''}${t.environment === 'chromium' ? ' (chromium)' : ''}`;

/**
 * `remote:http://host:8000` or `remote:grpc://host:8001`: a KServe v2 / Triton server is a target like any other (the
 * remote backend's device is the protocol). Undefined for any other filter.
 */
export function remoteTarget(filter: string): Target | undefined {
  const match = /^remote:(https?|grpc):\/\/(.+)$/i.exec(filter);
  if (!match) return undefined;
  const scheme = (match[1] as string).toLowerCase();
  return {
    backend: remoteEntry().name,
    device: scheme === 'grpc' ? 'grpc' : 'http',
    environment: 'node',
    url: scheme === 'grpc' ? (match[2] as string) : filter.slice('remote:'.length),
  };
}

/** The part of a cell id that tells targets apart (a remote one by its server). */
export const targetKey = (t: Target): string =>
  `${t.backend}-${t.device}-${t.url ? `${t.url.replace(/^\w+:\/\//, '').replace(/[^\w.-]+/g, '_')}-` : ''}${t.environment}`;

/** The remote backend's config for a remote target. */
export const remoteConfig = (t: { device: string; url?: string }): { url?: string; grpcUrl?: string } =>
  t.url === undefined ? {} : t.device === 'grpc' ? { grpcUrl: t.url } : { url: t.url };
