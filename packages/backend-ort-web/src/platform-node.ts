import { readFile } from 'node:fs/promises';
import { ModelLoadError } from '@polyinfer/core';
import type { OrtWebPlatform } from './ort-web-platform.js';
import { adapterStatus } from './ort-web-platform.js';

export const nodePlatform: OrtWebPlatform = {
  name: 'node',
  async readModel(path) {
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ModelLoadError(path, code === 'ENOENT' ? 'file not found' : (error as Error).message, error);
    }
  },
  webgpuStatus: () => adapterStatus((globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu, 'this Node process'),
  threadsAllowed: () => ({ allowed: true }),
};
