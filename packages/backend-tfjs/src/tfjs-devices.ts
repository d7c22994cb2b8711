import type { DeviceInfo } from '@polyinfer/core';

/** Below onnxruntime (native and web) when several backends are registered. */
export const TFJS_PRIORITY = 10;

export const TFJS_DEVICES: readonly DeviceInfo[] = [
  {
    name: 'wasm',
    // tfjs-backend-wasm turns its threaded build off in Node (tensorflow/tfjs#3830); in pages the threaded build's
    // inlined worker breaks once bundled and threads don't take effect anyway (tensorflow/tfjs#8513).
    description:
      'tfjs-backend-wasm, SIMD, one thread (its threaded build is off in Node, and not used in pages: its inlined worker breaks once bundled)',
    environments: ['node', 'browser'],
  },
  {
    name: 'cpu',
    description: 'tfjs-backend-cpu (always there)',
    environments: ['node', 'browser'],
    slow: 'plain JavaScript: about 30× slower than wasm on convolutions',
  },
  {
    name: 'tensorflow',
    description: 'libtensorflow through @tensorflow/tfjs-node (optional peer dependency)',
    environments: ['node'],
  },
  {
    name: 'tensorflow-gpu',
    description: 'libtensorflow with CUDA through @tensorflow/tfjs-node-gpu (optional peer dependency)',
    environments: ['node'],
  },
  { name: 'webgl', description: 'tfjs-backend-webgl (browsers)', environments: ['browser'] },
  { name: 'webgpu', description: 'tfjs-backend-webgpu (browsers)', environments: ['browser'] },
];

/** The optional native bindings: the npm package each device needs and why it may be missing. */
export const NATIVE_BINDINGS: Record<string, { module: string; hint: string }> = {
  tensorflow: {
    module: '@tensorflow/tfjs-node',
    hint: 'npm install @tensorflow/tfjs-node@4.22.0 (its install script downloads libtensorflow, which needs a reachable download host)',
  },
  'tensorflow-gpu': {
    module: '@tensorflow/tfjs-node-gpu',
    hint: 'npm install @tensorflow/tfjs-node-gpu@4.22.0 on a machine with CUDA (its install script downloads libtensorflow-gpu)',
  },
};
