import type { BackendRegistry } from '@polyinfer/core';
import { createRegistry } from '@polyinfer/core';
import { registerOrtNodeBackend } from '@polyinfer/backend-ort-node/base';
import { registerOrtWebBackend } from '@polyinfer/backend-ort-web/base';
import { registerTfjsBackend } from '@polyinfer/backend-tfjs/base';
import type { CliIo } from './cli-io.js';

/** The backends the CLI knows, in a registry of its own that says on stderr whenever a device is skipped. */
export function createCliRegistry(io: CliIo, options: { quiet?: boolean } = {}): BackendRegistry {
  const told = new Set<string>();
  const registry = createRegistry({
    onFallback: (a) => {
      // Each stage of a pipeline walks the same chain: say each skip once.
      const key = `${a.backend}:${a.device}:${a.reason}`;
      if (told.has(key)) return;
      told.add(key);
      if (!options.quiet) io.err(`polyinfer: ${a.backend}:${a.device} unavailable (${a.reason}); trying the next device\n`);
    },
  });
  registerOrtNodeBackend(registry);
  registerOrtWebBackend(registry);
  registerTfjsBackend(registry);
  return registry;
}
