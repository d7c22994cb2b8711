// One entry for Node and browsers: onnxruntime-web and @polyinfer/core/platform pick their own build per environment.
import { defineBackendEntry } from '@polyinfer/core';
import type { OrtWebBackend, OrtWebBackendConfig } from './ort-web-backend.js';
import { loadOrtWebBackend, ORT_WEB_BACKEND } from './ort-web-backend.js';

export { ORT_WEB_BACKEND, ORT_WEB_DEVICES, OrtWebBackend } from './ort-web-backend.js';
export type { OrtWebBackendConfig, OrtWebEnvironment } from './ort-web-backend.js';

/** Below ort-node (native) and above tfjs when several backends are registered. */
export const ORT_WEB_PRIORITY = 50;

export const { create: createOrtWebBackend, register: registerOrtWebBackend } = defineBackendEntry<OrtWebBackendConfig, OrtWebBackend>(
  ORT_WEB_BACKEND,
  ORT_WEB_PRIORITY,
  (config) => loadOrtWebBackend(config),
);
