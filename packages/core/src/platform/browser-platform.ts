import type { Platform } from '../platform.js';
import { webgpuAdapterStatus } from '../platform.js';
import { fetchBytes } from './fetch-bytes.js';

export const browserPlatform: Platform = {
  name: 'browser',
  readBytes: fetchBytes,
  // A HEAD would cost a round trip per model for nothing: the fetch that follows reports the same failure.
  checkReadable: async () => undefined,
  webgpuStatus: () => webgpuAdapterStatus('this browser'),
  threadsAllowed: () =>
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated
      ? { allowed: true }
      : {
          allowed: false,
          reason: 'the page is not cross-origin isolated (COOP/COEP headers), so wasm runs single-threaded',
        },
};

/** The platform of the running environment (this module is the browser one). */
export const currentPlatform: Platform = browserPlatform;
