import { defaultRegistry } from '@polyinfer/core';
import { registerRemoteBackend } from './base.js';

export * from './base.js';

// Importing the package registers the backend (with no server configured) with the default registry; import
// "./base" to opt out, or register it again with a url.
registerRemoteBackend(defaultRegistry);
