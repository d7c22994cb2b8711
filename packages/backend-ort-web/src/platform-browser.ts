import { ModelLoadError } from '@polyinfer/core';
import type { OrtWebPlatform } from './ort-web-platform.js';
import { adapterStatus } from './ort-web-platform.js';

export const browserPlatform: OrtWebPlatform = {
  name: 'browser',
  async readModel(url) {
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new ModelLoadError(url, `fetch failed: ${(error as Error).message}`, error);
    }
    if (!response.ok) throw new ModelLoadError(url, `HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  },
  webgpuStatus: () => adapterStatus((globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu, 'this browser'),
  threadsAllowed: () =>
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated
      ? { allowed: true }
      : { allowed: false, reason: 'the page is not cross-origin isolated (COOP/COEP headers), so wasm runs single-threaded' },
};
