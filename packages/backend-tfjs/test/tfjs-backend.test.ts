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
        { op: 'STFT', name: 'stft', inputs: ['a'], outputs: ['b'] },
        { op: 'Relu', inputs: ['b'], outputs: ['c'] },
        { op: 'MyFancyOp', name: 'fancy', domain: 'com.example', inputs: ['c'], outputs: ['z'] },
      ],
    });
    const error = await (await createTfjsBackend()).createSession(model, { device: 'cpu' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'UNSUPPORTED_OP')).toBe(true);
    expect((error as UnsupportedOpError).ops).toEqual([
      { opType: 'STFT', nodeName: 'stft', domain: '', opset: 12 },
      { opType: 'com.example.MyFancyOp', nodeName: 'fancy', domain: 'com.example', opset: 12 },
    ]);
    expect((error as Error).message).toContain('STFT (node "stft", opset 12)');
  });

  it('refuses at load the forms of supported ops its kernels do not implement, naming the attribute and its value', async () => {
    const f = (name: string, dims: number[]) => ({ name, dtype: 'float32' as const, dims });
    const w = (name: string, dims: number[]) => ({
      name,
      dtype: 'float32' as const,
      dims,
      data: new Float32Array(dims.reduce((a, b) => a * b, 1)),
    });
    const model = buildOnnxModel({
      opset: 13,
      inputs: [f('x', [1, 2, 8, 8])],
      outputs: [
        f('e', [1, 2, 16, 16]),
        f('r', [1, 2, 16, 16]),
        f('t', [1, 2, 17, 17]),
        f('c', [1, 2, 2, 2]),
        f('ok', [1, 2, 8, 8]),
      ],
      nodes: [
        { op: 'Pad', name: 'pad_edge', inputs: ['x', 'pads'], outputs: ['e'], attributes: { mode: 'edge' } },
        {
          op: 'Resize',
          name: 'crop',
          inputs: ['x', '', 'scales'],
          outputs: ['r'],
          attributes: { coordinate_transformation_mode: 'tf_crop_and_resize' },
        },
        {
          op: 'ConvTranspose',
          name: 'dilated_up',
          inputs: ['x', 'wt'],
          outputs: ['t'],
          attributes: { dilations: [2, 2], strides: [2, 2] },
        },
        {
          op: 'Conv',
          name: 'strided_dilated',
          inputs: ['x', 'wc'],
          outputs: ['c'],
          attributes: { strides: [2, 2], dilations: [2, 2] },
        },
        { op: 'Pad', name: 'pad_reflect', inputs: ['x', 'pads0'], outputs: ['ok'], attributes: { mode: 'reflect' } },
      ],
      initializers: [
        { name: 'pads', dtype: 'int64', dims: [8], data: BigInt64Array.from([0n, 0n, 4n, 4n, 0n, 0n, 4n, 4n]) },
        { name: 'pads0', dtype: 'int64', dims: [8], data: new BigInt64Array(8) },
        { name: 'scales', dtype: 'float32', dims: [4], data: Float32Array.from([1, 1, 2, 2]) },
        w('wt', [2, 2, 3, 3]),
        w('wc', [2, 2, 3, 3]),
      ],
    });
    const error = await (await createTfjsBackend()).createSession(model, { device: 'cpu' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'UNSUPPORTED_OP')).toBe(true);
    expect((error as UnsupportedOpError).ops).toEqual([
      { opType: 'Pad', nodeName: 'pad_edge', domain: '', opset: 13, attribute: 'mode', value: 'edge' },
      {
        opType: 'Resize',
        nodeName: 'crop',
        domain: '',
        opset: 13,
        attribute: 'coordinate_transformation_mode',
        value: 'tf_crop_and_resize',
      },
      { opType: 'ConvTranspose', nodeName: 'dilated_up', domain: '', opset: 13, attribute: 'dilations', value: '2,2' },
      {
        opType: 'Conv',
        nodeName: 'strided_dilated',
        domain: '',
        opset: 13,
        attribute: 'strides with dilations',
        value: '2,2 with 2,2',
      },
    ]);
    expect((error as Error).message).toContain('Pad (node "pad_edge", opset 13, mode = "edge")');
  });

  it('a run that fails inside tfjs is INFERENCE_FAILED naming the node, and the session keeps serving', async () => {
    // The target shape is a feed: nothing at load can know 3 × 5 does not hold 4 values.
    const model = buildOnnxModel({
      inputs: [
        { name: 'x', dtype: 'float32', dims: [1, 4] },
        { name: 'shape', dtype: 'int64', dims: [2] },
      ],
      outputs: [{ name: 'y', dtype: 'float32', dims: ['a', 'b'] }],
      nodes: [{ op: 'Reshape', name: 'reshape_by_feed', inputs: ['x', 'shape'], outputs: ['y'] }],
    });
    const session = await (await createTfjsBackend()).createSession(model, { device: 'cpu' });
    const x = new Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]);
    const error = await session
      .run({ x, shape: new Tensor('int64', BigInt64Array.from([3n, 5n]), [2]) })
      .catch((e: unknown) => e);
    expect(isPolyinferError(error, 'INFERENCE_FAILED')).toBe(true);
    expect((error as Error).message).toContain('Reshape "reshape_by_feed"');
    const ok = await session.run({ x, shape: new Tensor('int64', BigInt64Array.from([2n, 2n]), [2]) });
    expect([...ok.y!.dims]).toEqual([2, 2]);
    expect([...(ok.y!.data as Float32Array)]).toEqual([1, 2, 3, 4]);
    await session.dispose();
  });

  it('a wasm kernel that traps gets the process a fresh wasm runtime: sessions opened before keep giving the same outputs', async () => {
    const backend = await createTfjsBackend();
    const weighted = buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4] }],
      initializers: [{ name: 'w', dtype: 'float32', dims: [4], data: Float32Array.from([0.5, -1, 2, 3]) }],
      nodes: [{ op: 'Mul', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    const softmax = buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4] }],
      nodes: [{ op: 'Softmax', name: 'traps', inputs: ['x'], outputs: ['y'] }],
    });
    const steady = await backend.createSession(weighted, { device: 'wasm' });
    const trapping = await backend.createSession(softmax, { device: 'wasm' });
    const x = new Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]);
    const expected = [...((await steady.run({ x })).y!.data as Float32Array)];
    const heapBefore = tf.backend();
    // Stand in for a kernel that reads out of bounds: wasm's Softmax traps once.
    const original = tf.getKernel('Softmax', 'wasm')!;
    tf.unregisterKernel('Softmax', 'wasm');
    tf.registerKernel({
      ...original,
      kernelFunc: () => {
        throw new WebAssembly.RuntimeError('memory access out of bounds');
      },
    });
    try {
      const error = await trapping.run({ x }).catch((e: unknown) => e);
      expect(isPolyinferError(error, 'INFERENCE_FAILED')).toBe(true);
    } finally {
      tf.unregisterKernel('Softmax', 'wasm');
      tf.registerKernel(original);
    }
    expect(tf.backend()).not.toBe(heapBefore);
    expect([...((await steady.run({ x })).y!.data as Float32Array)]).toEqual(expected);
    const y = (await trapping.run({ x })).y!.data as Float32Array;
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(y[3]).toBeGreaterThan(y[0]!);
    await steady.dispose();
    await trapping.dispose();
  });

  it('refuses at load a value between nodes of a type tfjs does not hold, naming the node (Cast to float16, float64 fill)', async () => {
    const model = buildOnnxModel({
      inputs: [
        { name: 'x', dtype: 'float32', dims: [2] },
        { name: 'shape', dtype: 'int64', dims: [1] },
      ],
      outputs: [
        { name: 'y', dtype: 'float32', dims: [2] },
        { name: 'z', dtype: 'float32', dims: [2] },
      ],
      nodes: [
        { op: 'Cast', name: 'to_half', inputs: ['x'], outputs: ['h'], attributes: { to: 10 } },
        { op: 'Cast', name: 'back', inputs: ['h'], outputs: ['y'], attributes: { to: 1 } },
        {
          op: 'ConstantOfShape',
          name: 'doubles',
          inputs: ['shape'],
          outputs: ['d'],
          attributes: { value: { tensor: { dtype: 'float64', dims: [1], data: Float64Array.from([2]) } } },
        },
        { op: 'Cast', name: 'to_float', inputs: ['d'], outputs: ['z'], attributes: { to: 1 } },
      ],
    });
    const error = await (await createTfjsBackend()).createSession(model, { device: 'cpu' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'UNSUPPORTED_OP')).toBe(true);
    expect((error as UnsupportedOpError).ops.map((op) => [op.nodeName, op.attribute, op.value])).toEqual([
      ['to_half', 'to', 'float16'],
      ['back', 'input 0 dtype', 'float16'],
      ['to_float', 'input 0 dtype', 'float64'],
    ]);
  });

  it('computes constant nodes once at load: weights made by ConstantOfShape, an output that is a Constant', async () => {
    const model = buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3] }],
      outputs: [
        { name: 'y', dtype: 'float32', dims: [1, 3] },
        { name: 'k', dtype: 'int64', dims: [2] },
      ],
      initializers: [{ name: 'shape', dtype: 'int64', dims: [2], data: BigInt64Array.from([1n, 3n]) }],
      nodes: [
        {
          op: 'ConstantOfShape',
          inputs: ['shape'],
          outputs: ['w'],
          attributes: { value: { tensor: { dtype: 'float32', dims: [1], data: Float32Array.from([1.5]) } } },
        },
        { op: 'Mul', inputs: ['x', 'w'], outputs: ['y'] },
        { op: 'Constant', inputs: [], outputs: ['k'], attributes: { value_ints: [7, -2] } },
      ],
    });
    const session = await (await createTfjsBackend()).createSession(model, { device: 'wasm' });
    const x = new Tensor('float32', Float32Array.from([1, 2, 4]), [1, 3]);
    await session.run({ x });
    const before = tf.memory().numTensors;
    const out = await session.run({ x });
    expect([...(out.y!.data as Float32Array)]).toEqual([1.5, 3, 6]);
    expect([...(out.k!.data as BigInt64Array)]).toEqual([7n, -2n]);
    expect(tf.memory().numTensors).toBe(before);
    await session.dispose();
  });

  it('tensorflow and tensorflow-gpu are unavailable here, saying which package is missing and how to install it', async () => {
    const backend = await createTfjsBackend();
    for (const [device, module] of [
      ['tensorflow', '@tensorflow/tfjs-node'],
      ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
    ]) {
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
        for (const kernel of tf.getKernelsForBackend('cpu'))
          tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
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
    expect(await backend.probe('webgl')).toEqual({
      available: false,
      reason: 'tfjs webgl runs in browsers only (no WebGL in Node)',
    });
    expect(await backend.probe('webgpu')).toEqual({
      available: false,
      reason: 'tfjs webgpu runs in browsers only (no WebGPU in Node)',
    });
  });

  it('leaks no tfjs tensor per run, and frees the weights on dispose', async () => {
    const model = buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 16, 16] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4, 16, 16] }],
      initializers: [
        { name: 'w', dtype: 'float32', dims: [4, 3, 3, 3], data: new Float32Array(108).fill(0.1) },
        { name: 'b', dtype: 'float32', dims: [4], data: new Float32Array(4).fill(0.5) },
      ],
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

  it('honours no tunable session option (each one asked for is reported as ignored, INVALID_CONFIG when strict); two backend options', async () => {
    const backend = await createTfjsBackend();
    expect(backend.capabilities).toEqual({
      options: [],
      backendOptions: ['simplify', 'channelsLast'],
      runPolicy: 'queued-per-process',
      dtypes: ['float32', 'int32', 'int64', 'uint8', 'int8', 'int16', 'uint16', 'bool'],
      backendOptionTypes: { simplify: 'boolean', channelsLast: 'boolean' },
    });
    const wrong = await backend
      .createSession(relu, { device: 'cpu', backendOptions: { simplify: 'no' } })
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({
      code: 'INVALID_CONFIG',
      message: 'tfjs\'s backendOptions.simplify takes boolean; got "no"',
    });
    const session = await backend.createSession(relu, { device: 'cpu', graphOptimization: 'all', interOpThreads: 2 });
    expect(session.provenance.ignoredOptions.map((i) => i.option)).toEqual(['interOpThreads', 'graphOptimization']);
    await session.dispose();
    const error = await backend
      .createSession(relu, { device: 'cpu', graphOptimization: 'all' }, { strict: true })
      .catch((e: unknown) => e);
    expect(isPolyinferError(error, 'INVALID_CONFIG')).toBe(true);
  });

  it('folds the graph before it runs it, exactly; backendOptions.simplify: false runs it as written', async () => {
    // Conv → Mul(scale) → Add(shift): two of the kernel calls fold into the convolution.
    const model = buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 2, 5, 5] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [1, 3, 5, 5] }],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } },
        { op: 'Mul', inputs: ['c', 's'], outputs: ['m'] },
        { op: 'Add', inputs: ['m', 't'], outputs: ['y'] },
      ],
      initializers: [
        {
          name: 'w',
          dtype: 'float32',
          dims: [3, 2, 3, 3],
          data: Float32Array.from({ length: 54 }, (_, i) => Math.sin(i)),
        },
        { name: 's', dtype: 'float32', dims: [], data: Float32Array.of(1.5) },
        { name: 't', dtype: 'float32', dims: [], data: Float32Array.of(-0.25) },
      ],
    });
    const backend = await createTfjsBackend();
    const x = new Tensor(
      'float32',
      Float32Array.from({ length: 50 }, (_, i) => Math.cos(i)),
      [1, 2, 5, 5],
    );
    const results: Float32Array[] = [];
    for (const simplify of [true, false]) {
      const session = await backend.createSession(model, { device: 'cpu', backendOptions: { simplify } });
      results.push((await session.run({ x })).y!.data as Float32Array);
      await session.dispose();
    }
    const [folded, asWritten] = results as [Float32Array, Float32Array];
    expect(Math.max(...asWritten.map((v, i) => Math.abs(v - folded[i]!)))).toBeLessThan(1e-5);
    expect(Math.max(...asWritten.map(Math.abs))).toBeGreaterThan(0.5);
  });

  it('frees intermediates after their last reader, but never a weight or a feed passed on under another name', async () => {
    // Identity hands the weight and the feed on; their last readers then release the new names.
    const model = buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [2, 2] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [2, 2] }],
      nodes: [
        { op: 'Identity', inputs: ['w'], outputs: ['w_alias'] },
        { op: 'Identity', inputs: ['x'], outputs: ['x_alias'] },
        { op: 'Mul', inputs: ['x_alias', 'w_alias'], outputs: ['m'] },
        { op: 'Relu', inputs: ['m'], outputs: ['r'] },
        { op: 'Add', inputs: ['r', 'r'], outputs: ['y'] },
      ],
      initializers: [{ name: 'w', dtype: 'float32', dims: [2, 2], data: Float32Array.from([1, -2, 3, -4]) }],
    });
    const session = await (
      await createTfjsBackend()
    ).createSession(model, { device: 'cpu', backendOptions: { simplify: false } });
    const x = new Tensor('float32', Float32Array.from([1, 1, 1, 1]), [2, 2]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) expect([...((await session.run({ x })).y!.data as Float32Array)]).toEqual([2, 0, 6, 0]);
    expect(tf.memory().numTensors).toBe(before);
    await session.dispose();
  });

  it('a device it does not have is UNKNOWN_DEVICE, as for every backend', async () => {
    const error = await (await createTfjsBackend()).createSession(relu, { device: 'cuda' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'UNKNOWN_DEVICE')).toBe(true);
    expect((error as Error).message).toContain('Backend tfjs has no device "cuda"');
  });
});
