import { defaultRegistry } from '@polyinfer/core';
import { registerTfjsBackend } from './base.js';

export * from './base.js';

// Importing the package registers the backend with the default registry; import "./base" to opt out.
registerTfjsBackend(defaultRegistry);
