import type { Backend } from './backend.js';
import type { BackendRegistry } from './registry.js';

/** The two functions every backend package's entry exports: make a backend, or register it with a registry. */
export interface BackendEntry<Config, B extends Backend> {
  create(config?: Config): Promise<B>;
  register(registry: BackendRegistry, config?: Config): void;
}

/**
 * One entry convention for all backends: `create…Backend(config)` loads the runtime (rejecting when it can't, which
 * the registry reports as BACKEND_UNAVAILABLE) and `register…Backend(registry, config)` registers that lazily under
 * the backend's name and priority.
 */
export function defineBackendEntry<Config, B extends Backend>(
  name: string,
  priority: number,
  create: (config: Config | undefined) => B | Promise<B>,
): BackendEntry<Config, B> {
  const make = async (config?: Config): Promise<B> => create(config);
  return {
    create: make,
    register: (registry, config) => registry.register(name, () => make(config), { priority }),
  };
}
