import type { DeviceStatus, Environment } from './backend.js';

/**
 * What differs between Node and browsers, for backends and models alike: how model bytes are read, whether a WebGPU
 * adapter is there, whether wasm may use threads. One implementation each, chosen by `@polyinfer/core/platform`'s
 * export conditions, so a bundler never sees `node:fs`.
 */
export interface Platform {
  readonly name: Environment;
  /** The bytes at a path (Node), a file: URL or an http(s) URL; `ModelLoadError` naming the location otherwise. */
  readBytes(location: string): Promise<Uint8Array>;
  /** Resolves when the location can be read (without reading it); `ModelLoadError` otherwise. */
  checkReadable(location: string): Promise<void>;
  /** Whether `navigator.gpu` gives an adapter here, and why not. */
  webgpuStatus(): Promise<DeviceStatus>;
  /** Whether wasm threads can run (SharedArrayBuffer): always in Node, only in cross-origin isolated pages. */
  threadsAllowed(): { allowed: true } | { allowed: false; reason: string };
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** Asks `navigator.gpu` (where there is one) for an adapter; the reason says which step failed. */
export async function webgpuAdapterStatus(where: string): Promise<DeviceStatus> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) return { available: false, reason: `no WebGPU implementation in ${where} (navigator.gpu is absent)` };
  try {
    const adapter = await gpu.requestAdapter();
    return adapter
      ? { available: true }
      : { available: false, reason: `no WebGPU adapter in ${where} (requestAdapter() returned null)` };
  } catch (error) {
    return {
      available: false,
      reason: `requesting a WebGPU adapter failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
