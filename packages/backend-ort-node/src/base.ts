import type { BackendRegistry } from '@polyinfer/core';
import type { OrtNodeBackendConfig } from './ort-node-backend.js';
import { createOrtNodeBackend, ORT_NODE_BACKEND } from './ort-node-backend.js';

export { createOrtNodeBackend, ORT_NODE_BACKEND, OrtNodeBackend } from './ort-node-backend.js';
export type { OrtNodeBackendConfig } from './ort-node-backend.js';
export { OrtNodeSession } from './ort-node-session.js';
export { executionProvidersFor, isDeviceFailure, ORT_NODE_DEVICES, providerLibrariesFor } from './execution-providers.js';
export type { OrtExecutionProvider, OrtNodeDevice, OrtNodeDeviceOptions } from './execution-providers.js';
export { toOrtSessionOptions } from './session-options.js';
export type { OrtNodeBackendOptions, OrtSessionOptions } from './session-options.js';

/** Native CPU/GPU runtime: preferred over wasm and tfjs when several backends are registered. */
export const ORT_NODE_PRIORITY = 100;

export function registerOrtNodeBackend(registry: BackendRegistry, config: OrtNodeBackendConfig = {}): void {
  registry.register(ORT_NODE_BACKEND, () => createOrtNodeBackend(config), { priority: ORT_NODE_PRIORITY });
}
