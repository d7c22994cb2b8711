// Browser entry (the "browser" and default export conditions): wasm and WebGPU, models fetched by URL; no Node built-ins.
import { ortWebEntry } from './ort-web-entry.js';
import { browserPlatform } from './platform-browser.js';

export { ORT_WEB_BACKEND, ORT_WEB_DEVICES, OrtWebBackend } from './ort-web-backend.js';
export type { OrtWebBackendConfig, OrtWebEnvironment } from './ort-web-backend.js';
export { OrtWebSession } from './ort-web-session.js';
export { ORT_WEB_PRIORITY } from './ort-web-entry.js';

export const { createOrtWebBackend, registerOrtWebBackend } = ortWebEntry(browserPlatform);
