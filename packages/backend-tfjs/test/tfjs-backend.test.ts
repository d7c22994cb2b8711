import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { buildOnnxModel, createRegistry, isPolyinferError, Tensor } from '@polyinfer/core';
import type { UnsupportedOpError } from '@polyinfer/core';
import { createTfjsBackend, registerTfjsBackend } from '@polyinfer/backend-tfjs';

const relu = buildOnnxModel({
  inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4] }],
  outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4] }],
  nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
});

describe('tfjs backend', () => {
  it('lists every unsupported op of a model at load, with node names and opset', async () => {
    const model = buildOnnxModel({
      opset: 12,
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4] }],
      outputs: [{ name: 'z', dtype: 'float32', dims: [1, 4] }],
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'] },
        { op: 'NonMaxSuppression', name: 'nms', inputs: ['a'], outputs: ['b'] },
        { op: 'Relu', inputs: ['b'], outputs: ['c'] },
        { op: 'MyFancyOp', name: 'fancy', domain: 'com.example', inputs: ['c'], outputs: ['z'] },
      ],
    });
    const error = await (await createTfjsBackend()).createSession(model, { device: 'cpu' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'UNSUPPORTED_OP')).toBe(true);
    expect((error as UnsupportedOpError).ops).toEqual([
      { opType: 'NonMaxSuppression', nodeName: 'nms', domain: '', opset: 12 },
      { opType: 'com.example.MyFancyOp', nodeName: 'fancy', domain: 'com.example', opset: 12 },
    ]);
    expect((error as Error).message).toContain('NonMaxSuppression (node "nms", opset 12)');
  });

  it('tensorflow and tensorflow-gpu are unavailable here, saying which package is missing and how to install it', async () => {
    const backend = await createTfjsBackend();
    for (const [device, module] of [['tensorflow', '@tensorflow/tfjs-node'], ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu']]) {
      const status = await backend.probe(device as string);
      expect(status.available).toBe(false);
      expect((status as { reason: string }).reason).toContain(`${module} could not be loaded`);
      expect((status as { reason: string }).reason).toContain(`npm install ${module}@4.22.0`);
    }
    const registry = createRegistry();
    registerTfjsBackend(registry);
    const session = await registry.createSession(relu, { backend: 'tfjs' });
    expect(session.device).toBe('wasm');
    expect(session.provenance.skipped.map((s) => s.device)).toEqual(['tensorflow']);
  });

  it('when the native binding is installed, the tensorflow device runs on the backend it registers', async () => {
    // Stands in for @tensorflow/tfjs-node, which registers a "tensorflow" backend with the shared tfjs-core.
    const loaded: string[] = [];
    const backend = await createTfjsBackend({
      loadBinding: async (module) => {
        loaded.push(module);
        // A binding registers a backend and its kernels (here: the CPU kernels under the name "tensorflow").
        tf.registerBackend('tensorflow', () => new MathBackendCPU());
        for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
      },
    });
    const session = await backend.createSession(relu, { device: 'tensorflow' });
    const out = await session.run({ x: new Tensor('float32', Float32Array.from([-1, 2, -3, 4]), [1, 4]) });
    expect([...(out.y?.data as Float32Array)]).toEqual([0, 2, 0, 4]);
    expect(loaded).toEqual(['@tensorflow/tfjs-node']);
    expect(tf.getBackend()).toBe('tensorflow');
    await session.dispose();
    for (const kernel of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(kernel.kernelName, 'tensorflow');
    tf.removeBackend('tensorflow');
  });

  it('webgl and webgpu are for browsers, said so in Node', async () => {
    const backend = await createTfjsBackend();
    expect(await backend.probe('webgl')).toEqual({ available: false, reason: 'tfjs webgl runs in browsers only (no WebGL in Node)' });
    expect(await backend.probe('webgpu')).toEqual({ available: false, reason: 'tfjs webgpu runs in browsers only (no WebGPU in Node)' });
  });

  it('leaks no tfjs tensor per run, and frees the weights on dispose', async () => {
    const model = buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 16, 16] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4, 16, 16] }],
      initializers: [{ name: 'w', dtype: 'float32', dims: [4, 3, 3, 3], data: new Float32Array(108).fill(0.1) }, { name: 'b', dtype: 'float32', dims: [4], data: new Float32Array(4).fill(0.5) }],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } },
        { op: 'Relu', inputs: ['c'], outputs: ['y'] },
      ],
    });
    for (const device of ['wasm', 'cpu']) {
      const backend = await createTfjsBackend();
      await backend.probe(device);
      const before = tf.memory().numTensors;
      const session = await backend.createSession(model, { device });
      const x = new Tensor('float32', new Float32Array(3 * 16 * 16).fill(1), [1, 3, 16, 16]);
      await session.run({ x });
      const afterFirst = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) await session.run({ x });
      expect(tf.memory().numTensors, device).toBe(afterFirst);
      await session.dispose();
      expect(tf.memory().numTensors, device).toBe(before);
    }
  });

  it('honours no tunable option: each one asked for is reported as ignored, INVALID_CONFIG when strict', async () => {
    const backend = await createTfjsBackend();
    expect(backend.capabilities).toEqual({ options: [], backendOptions: [], runPolicy: 'queued-per-process' });
    const session = await backend.createSession(relu, { device: 'cpu', graphOptimization: 'all', interOpThreads: 2 });
    expect(session.provenance.ignoredOptions.map((i) => i.option)).toEqual(['interOpThreads', 'graphOptimization']);
    await session.dispose();
    const error = await backend.createSession(relu, { device: 'cpu', graphOptimization: 'all' }, { strict: true }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'INVALID_CONFIG')).toBe(true);
  });

  it('a device it does not have is UNKNOWN_DEVICE, as for every backend', async () => {
    const error = await (await createTfjsBackend()).createSession(relu, { device: 'cuda' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'UNKNOWN_DEVICE')).toBe(true);
    expect((error as Error).message).toContain('Backend tfjs has no device "cuda"');
  });
});
