import type { BackendRegistry } from '@polyinfer/core';
import { BackendUnavailableError } from '@polyinfer/core';
import type { OrtModule, OrtWebBackend, OrtWebBackendConfig } from './ort-web-backend.js';
import { createOrtWebBackendWith, ORT_WEB_BACKEND } from './ort-web-backend.js';
import type { OrtWebPlatform } from './ort-web-platform.js';

/** Below ort-node (native) and above tfjs when several backends are registered. */
export const ORT_WEB_PRIORITY = 50;

async function loadOrtWeb(): Promise<OrtModule> {
  try {
    // Resolved per environment by onnxruntime-web's own export conditions (Node build vs browser bundle).
    const module = (await import('onnxruntime-web')) as OrtModule & { default?: OrtModule };
    return module.default ?? module;
  } catch (error) {
    throw new BackendUnavailableError(ORT_WEB_BACKEND, `onnxruntime-web could not be loaded: ${(error as Error).message}`, error);
  }
}

export interface OrtWebEntry {
  createOrtWebBackend(config?: OrtWebBackendConfig): Promise<OrtWebBackend>;
  registerOrtWebBackend(registry: BackendRegistry, config?: OrtWebBackendConfig): void;
}

export function ortWebEntry(platform: OrtWebPlatform): OrtWebEntry {
  const createOrtWebBackend = (config: OrtWebBackendConfig = {}): Promise<OrtWebBackend> => createOrtWebBackendWith(platform, loadOrtWeb, config);
  return {
    createOrtWebBackend,
    registerOrtWebBackend: (registry, config = {}) => registry.register(ORT_WEB_BACKEND, () => createOrtWebBackend(config), { priority: ORT_WEB_PRIORITY }),
  };
}
