import type { RemoteBackendConfig } from '@polyinfer/backend-remote/base';
import { ConfigError } from '@polyinfer/core';

/** `--remote http://host:8000` (REST) or `--remote grpc://host:8001` (gRPC): the remote backend's config and device. */
export function remoteEndpoint(url: string, token?: string): { config: RemoteBackendConfig; device: 'http' | 'grpc' } {
  const auth = token ? { token } : {};
  if (/^grpc:\/\//i.test(url)) return { config: { grpcUrl: url.replace(/^grpc:\/\//i, ''), ...auth }, device: 'grpc' };
  if (/^https?:\/\//i.test(url)) return { config: { url, ...auth }, device: 'http' };
  throw new ConfigError(`--remote takes http(s)://host:port or grpc://host:port, got "${url}"`, { url });
}
