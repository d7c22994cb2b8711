import type { BackendRegistry } from '@polyinfer/core';
import type { TfjsBackendConfig } from './tfjs-backend.js';
import { TFJS_BACKEND, TfjsBackend } from './tfjs-backend.js';

/** Below onnxruntime (native and web) when several backends are registered. */
export const TFJS_PRIORITY = 10;

export interface TfjsEntry {
  createTfjsBackend(config?: Partial<TfjsBackendConfig>): Promise<TfjsBackend>;
  registerTfjsBackend(registry: BackendRegistry, config?: Partial<TfjsBackendConfig>): void;
}

/** The create/register pair of an entry point, over its platform's defaults. */
export function tfjsEntry(defaults: TfjsBackendConfig): TfjsEntry {
  const createTfjsBackend = async (config: Partial<TfjsBackendConfig> = {}): Promise<TfjsBackend> => new TfjsBackend({ ...defaults, ...config });
  return {
    createTfjsBackend,
    registerTfjsBackend: (registry, config = {}) => registry.register(TFJS_BACKEND, () => createTfjsBackend(config), { priority: TFJS_PRIORITY }),
  };
}
