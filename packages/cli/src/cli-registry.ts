import type { BackendRegistry } from '@polyinfer/core';
import { createRegistry } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';
import { registerOrtWebBackend } from '@polyinfer/backend-ort-web/base';
import { registerTfjsBackend } from '@polyinfer/backend-tfjs/base';
import type { RemoteBackendConfig } from '@polyinfer/backend-remote/base';
import { registerRemoteBackend } from '@polyinfer/backend-remote/base';
import type { CliIo } from './cli-io.js';

/**
 * The backends the CLI knows, in a registry of its own that says on stderr whenever a device is skipped or an option
 * is not honoured.
 */
export function createCliRegistry(io: CliIo, options: { quiet?: boolean; remote?: RemoteBackendConfig } = {}): BackendRegistry {
  const told = new Set<string>();
  // Each stage of a pipeline walks the same chain with the same options: say each thing once.
  const sayOnce = (key: string, message: string): void => {
    if (told.has(key) || options.quiet) return;
    told.add(key);
    io.err(`polyinfer: ${message}\n`);
  };
  const registry = createRegistry({
    onFallback: (a) => sayOnce(`${a.backend}:${a.device}:${a.reason}`, `${a.backend}:${a.device} unavailable (${a.reason}); trying the next device`),
    onIgnoredOption: (i) => sayOnce(`${i.backend}:${i.device}:${i.option}`, `${i.backend}:${i.device} ignores ${i.option}: ${i.reason} (--strict makes this an error)`),
  });
  registerOrtNodeBackend(registry);
  registerOrtWebBackend(registry);
  registerTfjsBackend(registry);
  registerRemoteBackend(registry, options.remote ?? {});
  return registry;
}
