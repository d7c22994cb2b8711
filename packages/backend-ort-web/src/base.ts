// One entry for Node and browsers: onnxruntime-web and @polyinfer/core/platform pick their own build per environment.
import { defineBackendEntry } from '@polyinfer/core';
import type { OrtWebBackend, OrtWebBackendConfig } from './ort-web-backend.js';
import { loadOrtWebBackend, ORT_WEB_BACKEND, ORT_WEB_PRIORITY } from './ort-web-backend.js';

export { ORT_WEB_BACKEND, ORT_WEB_DEVICES, ORT_WEB_PRIORITY, OrtWebBackend, webnnMissing } from './ort-web-backend.js';
export type { OrtWebBackendConfig, OrtWebBuild, OrtWebEnvironment } from './ort-web-backend.js';
export { webgpuWrongForms } from './webgpu-wrong-forms.js';

const entry = defineBackendEntry<OrtWebBackendConfig, OrtWebBackend>(
  ORT_WEB_BACKEND,
  ORT_WEB_PRIORITY,
  loadOrtWebBackend,
);
export const createOrtWebBackend = entry.create;
export const registerOrtWebBackend = entry.register;
