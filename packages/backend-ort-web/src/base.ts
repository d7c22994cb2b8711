// Node entry (the "node" export condition): onnxruntime-web's Node build (wasm), models read from disk.
import { ortWebEntry } from './ort-web-entry.js';
import { nodePlatform } from './platform-node.js';

export { ORT_WEB_BACKEND, ORT_WEB_DEVICES, OrtWebBackend } from './ort-web-backend.js';
export type { OrtWebBackendConfig, OrtWebEnvironment } from './ort-web-backend.js';
export { OrtWebSession } from './ort-web-session.js';
export { ORT_WEB_PRIORITY } from './ort-web-entry.js';

export const { createOrtWebBackend, registerOrtWebBackend } = ortWebEntry(nodePlatform);
