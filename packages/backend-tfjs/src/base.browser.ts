// Browser entry (the "browser" and default export conditions): tfjs wasm, webgl, webgpu and cpu; models fetched by URL.
import * as tf from '@tensorflow/tfjs-core';
import { defineBackendEntry } from '@polyinfer/core';
import type { TfjsBackend, TfjsBackendConfig, TfjsDeviceRuntime } from './tfjs-backend.js';
import { TFJS_BACKEND, tfjsBackendLoader } from './tfjs-backend.js';
import { TFJS_PRIORITY } from './tfjs-devices.js';

export { TFJS_BACKEND, TFJS_BACKEND_OPTION_TYPES, TfjsBackend, validateTfjsBackendOptions } from './tfjs-backend.js';
export type { TfjsBackendConfig, TfjsBackendOptions, TfjsDeviceRuntime } from './tfjs-backend.js';
export { NATIVE_BINDINGS, TFJS_DEVICES, TFJS_PRIORITY } from './tfjs-devices.js';
export { IMPORTER_OPS, SUPPORTED_OPS } from './ops/op-table.js';
export { parseOnnxGraph } from './onnx/onnx-graph.js';

let wasmPaths = '/tfjs/';

/** Where tfjs-backend-wasm's .wasm files are served from (default "/tfjs/"); set before the first wasm session. */
export function setTfjsWasmPaths(prefix: string): void {
  wasmPaths = prefix;
}

async function activate(name: string): Promise<{ tfBackend: string } | { unavailable: string }> {
  try {
    if (await tf.setBackend(name)) return { tfBackend: name };
    return { unavailable: `tfjs ${name} backend failed to initialise in this browser` };
  } catch (error) {
    return { unavailable: `tfjs ${name} backend failed to initialise: ${(error as Error).message}` };
  }
}

async function initBrowserBackend(device: string): Promise<{ tfBackend: string } | { unavailable: string }> {
  switch (device) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return activate('cpu');
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // Its threaded build spawns an inlined worker that breaks once bundled (and threads don't take effect anyway,
      // tensorflow/tfjs#8513): the single-threaded SIMD build, always.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setWasmPaths(wasmPaths);
      return activate('wasm');
    }
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return activate('webgl');
    case 'webgpu': {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) return { unavailable: 'no WebGPU in this browser (navigator.gpu is absent)' };
      if (!(await gpu.requestAdapter()))
        return { unavailable: 'no WebGPU adapter in this browser (requestAdapter() returned null)' };
      await import('@tensorflow/tfjs-backend-webgpu');
      return activate('webgpu');
    }
    default:
      return { unavailable: `tfjs ${device} needs Node (the native TensorFlow bindings)` };
  }
}

export const browserTfjsRuntime: TfjsDeviceRuntime = {
  loadBinding: (module) => Promise.reject(new Error(`${module} runs in Node only`)),
  initBackend: initBrowserBackend,
};

const entry = defineBackendEntry<TfjsBackendConfig, TfjsBackend>(
  TFJS_BACKEND,
  TFJS_PRIORITY,
  tfjsBackendLoader(browserTfjsRuntime),
);
export const createTfjsBackend = entry.create;
export const registerTfjsBackend = entry.register;
