import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Platform } from '../platform.js';
import { webgpuAdapterStatus } from '../platform.js';
import { ModelLoadError } from '../errors.js';
import { fetchBytes } from './fetch-bytes.js';

const isHttp = (location: string): boolean => /^https?:\/\//i.test(location);
const toPath = (location: string): string => (location.startsWith('file:') ? fileURLToPath(location) : location);

function fileError(location: string, error: unknown): ModelLoadError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'a directory, not a file' : (error as Error).message;
  return new ModelLoadError(location, reason, error);
}

export const nodePlatform: Platform = {
  name: 'node',
  async readBytes(location) {
    if (isHttp(location)) return fetchBytes(location);
    try {
      const buffer = await readFile(toPath(location));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw fileError(location, error);
    }
  },
  async checkReadable(location) {
    if (isHttp(location)) return;
    try {
      await access(toPath(location));
    } catch (error) {
      throw fileError(location, error);
    }
  },
  webgpuStatus: () => webgpuAdapterStatus('this Node process'),
  threadsAllowed: () => ({ allowed: true }),
};

/** The platform of the running environment (this module is the Node one). */
export const currentPlatform: Platform = nodePlatform;
