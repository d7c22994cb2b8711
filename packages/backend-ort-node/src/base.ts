import { defineBackendEntry } from '@polyinfer/core';
import type { OrtNodeBackend, OrtNodeBackendConfig } from './ort-node-backend.js';
import { loadOrtNodeBackend, ORT_NODE_BACKEND, ORT_NODE_PRIORITY } from './ort-node-backend.js';

export { ORT_NODE_BACKEND, ORT_NODE_PRIORITY, OrtNodeBackend } from './ort-node-backend.js';
export type { OrtNodeBackendConfig } from './ort-node-backend.js';
export {
  executionProvidersFor,
  ORT_NODE_DEVICES,
  platformMissing,
  providerLibrariesFor,
  webgpuLoaderMissing,
} from './execution-providers.js';
export type { OrtExecutionProvider, OrtNodeDevice, OrtNodeDeviceOptions } from './execution-providers.js';
export {
  ORT_NODE_BACKEND_OPTION_TYPES,
  ORT_NODE_BACKEND_OPTIONS,
  toOrtSessionOptions,
  validateOrtNodeBackendOptions,
} from './session-options.js';
export type { OrtNodeBackendOptions, OrtSessionOptions } from './session-options.js';

const entry = defineBackendEntry<OrtNodeBackendConfig, OrtNodeBackend>(
  ORT_NODE_BACKEND,
  ORT_NODE_PRIORITY,
  loadOrtNodeBackend,
);
export const createOrtNodeBackend = entry.create;
export const registerOrtNodeBackend = entry.register;
