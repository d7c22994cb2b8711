import { defineBackendEntry } from '@polyinfer/core';
import type { OrtNodeBackend, OrtNodeBackendConfig } from './ort-node-backend.js';
import { loadOrtNodeBackend, ORT_NODE_BACKEND } from './ort-node-backend.js';

export { ORT_NODE_BACKEND, OrtNodeBackend } from './ort-node-backend.js';
export type { OrtNodeBackendConfig } from './ort-node-backend.js';
export { executionProvidersFor, ORT_NODE_DEVICES, providerLibrariesFor } from './execution-providers.js';
export type { OrtExecutionProvider, OrtNodeDevice, OrtNodeDeviceOptions } from './execution-providers.js';
export { ORT_NODE_BACKEND_OPTIONS, toOrtSessionOptions } from './session-options.js';
export type { OrtNodeBackendOptions, OrtSessionOptions } from './session-options.js';

/** Native CPU/GPU runtime: preferred over wasm and tfjs when several backends are registered. */
export const ORT_NODE_PRIORITY = 100;

export const { create: createOrtNodeBackend, register: registerOrtNodeBackend } = defineBackendEntry<OrtNodeBackendConfig, OrtNodeBackend>(
  ORT_NODE_BACKEND,
  ORT_NODE_PRIORITY,
  (config) => loadOrtNodeBackend(config),
);
