import { defaultRegistry } from '@polyinfer/core';
import { registerTfjsBackend } from './base.browser.js';

export * from './base.browser.js';

// Importing the package registers the backend with the default registry; import "./base" to opt out.
registerTfjsBackend(defaultRegistry);
