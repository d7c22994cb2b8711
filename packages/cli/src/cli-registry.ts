import type { BackendRegistry } from '@polyinfer/core';
import { createRegistry } from '@polyinfer/core';
import { registerCatalogue, remoteEntry } from '@polyinfer/backends';
import type { CliIo } from './cli-io.js';

/**
 * Every backend of the catalogue, in a registry of its own that says on stderr whenever a device is skipped or an
 * option is not honoured. `remote`: the remote backend's server.
 */
export function createCliRegistry(io: CliIo, options: { quiet?: boolean; remote?: object } = {}): BackendRegistry {
  const told = new Set<string>();
  // Each stage of a pipeline walks the same chain with the same options: say each thing once.
  const sayOnce = (key: string, message: string): void => {
    if (told.has(key) || options.quiet) return;
    told.add(key);
    io.err(`polyinfer: ${message}\n`);
  };
  const registry = createRegistry({
    onFallback: (a) =>
      sayOnce(
        `${a.backend}:${a.device}:${a.reason}`,
        `${a.backend}:${a.device} unavailable (${a.reason}); trying the next device`,
      ),
    onIgnoredOption: (i) =>
      sayOnce(
        `${i.backend}:${i.device}:${i.option}`,
        `${i.backend}:${i.device} ignores ${i.option}: ${i.reason} (--strict makes this an error)`,
      ),
  });
  return registerCatalogue(registry, 'node', options.remote ? { [remoteEntry().name]: options.remote } : {});
}
