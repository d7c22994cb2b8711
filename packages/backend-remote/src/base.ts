import { defineBackendEntry } from '@polyinfer/core';
import type { RemoteBackend, RemoteBackendConfig } from './remote-backend.js';
import { loadRemoteBackend, REMOTE_BACKEND, REMOTE_PRIORITY } from './remote-backend.js';

export type { RemoteBackendConfig, RemoteSessionOptions } from './remote-backend.js';
export {
  REMOTE_BACKEND,
  REMOTE_BACKEND_OPTION_TYPES,
  REMOTE_DEVICES,
  REMOTE_PRIORITY,
  RemoteBackend,
  validateRemoteBackendOptions,
} from './remote-backend.js';
export { RemoteSession } from './remote-session.js';
export type { V2Client, V2ClientOptions, V2InferCall } from './v2-client.js';
export { V2_CLIENT_DEFAULTS } from './v2-client.js';
export { HttpV2Client } from './http-v2-client.js';
export type { RemoteErrorCode, RemoteTarget } from './remote-errors.js';
export {
  RemoteProtocolError,
  RemoteRejectedError,
  RemoteTimeoutError,
  RemoteUnavailableError,
} from './remote-errors.js';

const entry = defineBackendEntry<RemoteBackendConfig, RemoteBackend>(
  REMOTE_BACKEND,
  REMOTE_PRIORITY,
  loadRemoteBackend,
);
export const createRemoteBackend = entry.create;
export const registerRemoteBackend = entry.register;
