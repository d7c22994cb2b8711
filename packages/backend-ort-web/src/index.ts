import { defaultRegistry } from '@polyinfer/core';
import { registerOrtWebBackend } from './base.js';

export * from './base.js';

// Importing the package registers the backend with the default registry; import "./base" to opt out.
registerOrtWebBackend(defaultRegistry);
