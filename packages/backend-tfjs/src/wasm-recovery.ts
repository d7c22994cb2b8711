import * as tf from '@tensorflow/tfjs-core';

/** Whether an error (or one it was caused by) is a WebAssembly trap: the runtime's heap may no longer be sound. */
export function isWasmTrap(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) return true;
  }
  return false;
}

/**
 * Replaces a tfjs backend with a fresh instance of itself (a new wasm module and heap), so that one model whose
 * kernel trapped cannot fail every later run in the process. Tensors on the old instance go with it; programs notice
 * (OnnxProgram checks the instance before each run) and upload their constants again.
 */
export async function replaceTfBackend(name: string): Promise<void> {
  const factory = tf.findBackendFactory(name);
  if (!factory) return;
  tf.removeBackend(name);
  tf.registerBackend(name, factory);
  await tf.setBackend(name);
}
