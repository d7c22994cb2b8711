import type { DeviceStatus } from '@polyinfer/core';

/** What differs between Node and browsers: how a model path is read and whether WebGPU is there. */
export interface OrtWebPlatform {
  name: 'node' | 'browser';
  readModel(path: string): Promise<Uint8Array>;
  webgpuStatus(): Promise<DeviceStatus>;
  /** Whether wasm threads can run (SharedArrayBuffer): always in Node, only cross-origin isolated pages in browsers. */
  threadsAllowed(): { allowed: true } | { allowed: false; reason: string };
}

export async function adapterStatus(gpu: { requestAdapter(): Promise<unknown> } | undefined, where: string): Promise<DeviceStatus> {
  if (!gpu) return { available: false, reason: `no WebGPU implementation in ${where} (navigator.gpu is absent)` };
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? { available: true } : { available: false, reason: `no WebGPU adapter in ${where} (requestAdapter() returned null)` };
  } catch (error) {
    return { available: false, reason: `requesting a WebGPU adapter failed: ${(error as Error).message}` };
  }
}
