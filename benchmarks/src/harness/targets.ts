import type { CellEnvironment } from './cell.js';

export interface Target {
  backend: string;
  device: string;
  environment: CellEnvironment;
}

/** Every backend:device polyinfer has, in Node and in Chromium. Unavailable ones are reported, not dropped. */
export const ALL_TARGETS: readonly Target[] = [
  { backend: 'ort-node', device: 'cpu', environment: 'node' },
  { backend: 'ort-node', device: 'cuda', environment: 'node' },
  { backend: 'ort-node', device: 'tensorrt', environment: 'node' },
  { backend: 'ort-node', device: 'webgpu', environment: 'node' },
  { backend: 'ort-web', device: 'wasm', environment: 'node' },
  { backend: 'ort-web', device: 'webgpu', environment: 'node' },
  { backend: 'tfjs', device: 'wasm', environment: 'node' },
  { backend: 'tfjs', device: 'cpu', environment: 'node' },
  { backend: 'tfjs', device: 'tensorflow', environment: 'node' },
  { backend: 'tfjs', device: 'tensorflow-gpu', environment: 'node' },
  { backend: 'ort-web', device: 'wasm', environment: 'chromium' },
  { backend: 'ort-web', device: 'webgpu', environment: 'chromium' },
  { backend: 'tfjs', device: 'wasm', environment: 'chromium' },
  { backend: 'tfjs', device: 'webgl', environment: 'chromium' },
  { backend: 'tfjs', device: 'webgpu', environment: 'chromium' },
];

export const REFERENCE: Target = { backend: 'ort-node', device: 'cpu', environment: 'node' };

export const targetName = (t: Target): string => `${t.backend}:${t.device}${t.environment === 'chromium' ? ' (chromium)' : ''}`;
