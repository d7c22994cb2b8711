// Node entry: tfjs cpu and wasm, and tfjs-node / tfjs-node-gpu when installed. Side-effect free.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
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

async function initNodeBackend(device: string): Promise<{ tfBackend: string } | { unavailable: string }> {
  switch (device) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return (await tf.setBackend('cpu'))
        ? { tfBackend: 'cpu' }
        : { unavailable: 'tfjs cpu backend failed to initialise' };
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the .wasm files are read from the package's own dist folder.
      const dir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
      wasm.setWasmPaths(`${dir}/`);
      return (await tf.setBackend('wasm'))
        ? { tfBackend: 'wasm' }
        : { unavailable: 'tfjs wasm backend failed to initialise' };
    }
    default:
      return {
        unavailable: `tfjs ${device} runs in browsers only (no ${device === 'webgl' ? 'WebGL' : 'WebGPU'} in Node)`,
      };
  }
}

export const nodeTfjsRuntime: TfjsDeviceRuntime = {
  loadBinding: (module) => import(module),
  initBackend: initNodeBackend,
};

const entry = defineBackendEntry<TfjsBackendConfig, TfjsBackend>(
  TFJS_BACKEND,
  TFJS_PRIORITY,
  tfjsBackendLoader(nodeTfjsRuntime),
);
export const createTfjsBackend = entry.create;
export const registerTfjsBackend = entry.register;
