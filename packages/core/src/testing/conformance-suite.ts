import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, ModelSource } from '../backend.js';
import type { Session } from '../session.js';
import { Tensor } from '../tensor.js';
import { isPolyinferError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { buildOnnxModel } from '../onnx-model-builder.js';
import type { ModelSpec } from '../onnx-model-builder.js';
import { conformanceModels } from './conformance-models.js';
import type { ConformanceModelName } from './conformance-models.js';

export interface ConformanceOptions {
  /** Label of the describe block, e.g. "ort-node:cpu". */
  label?: string;
  createBackend: () => Backend | Promise<Backend>;
  device: string;
  /** How a model spec becomes what the backend loads (default: ONNX bytes). */
  encodeModel?: (spec: ModelSpec) => ModelSource;
  /** The backend also loads models from file paths (Node backends). */
  acceptsPaths?: boolean;
  /** Per-test timeout in ms (browser and software-GPU devices are slow). */
  timeout?: number;
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a PolyinferError with code ${code}`).toBeDefined();
  if (!isPolyinferError(error, code)) {
    throw new Error(`expected code ${code}, got ${String((error as { code?: string }).code)}: ${(error as Error).message}`);
  }
}

function f32(values: number[], dims: number[]): Tensor<'float32'> {
  return new Tensor('float32', Float32Array.from(values), dims);
}

/**
 * The contract every polyinfer backend keeps, run by each backend package against itself (in Node, and in the
 * browser rig for browser devices): metadata, results, dynamic dims, int64, output selection, concurrency, the
 * typed errors for bad feeds and bad models, and dispose.
 */
export function describeBackendConformance(options: ConformanceOptions): void {
  const encode = options.encodeModel ?? buildOnnxModel;
  const timeout = options.timeout ?? 30_000;
  const label = options.label ?? `backend conformance (${options.device})`;

  describe(label, { timeout }, () => {
    let backend: Backend;
    const sessions: Partial<Record<ConformanceModelName, Session>> = {};
    const open = async (name: ConformanceModelName): Promise<Session> =>
      (sessions[name] ??= await backend.createSession(encode(conformanceModels[name]), { device: options.device }));

    beforeAll(async () => {
      backend = await options.createBackend();
    }, timeout);

    afterAll(async () => {
      await Promise.all(Object.values(sessions).map((s) => s?.dispose()));
    });

    it('probes the device as available', async () => {
      expect(await backend.probe(options.device)).toEqual({ available: true });
      const unknown = await backend.probe('no-such-device');
      expect(unknown.available).toBe(false);
    });

    it('reports backend, device and input/output metadata', async () => {
      const session = await open('add');
      expect(session.backend).toBe(backend.name);
      expect(session.device).toBe(options.device);
      expect(session.inputs.map((i) => [i.name, i.dtype, [...i.dims]])).toEqual([
        ['a', 'float32', [2, 3]],
        ['b', 'float32', [2, 3]],
      ]);
      expect(session.outputs.map((o) => o.name)).toEqual(['sum']);
    });

    it('computes a + b', async () => {
      const session = await open('add');
      const out = await session.run({ a: f32([1, 2, 3, 4, 5, 6], [2, 3]), b: f32([10, 20, 30, 40, 50, 60], [2, 3]) });
      const sum = out.sum as Tensor;
      expect(sum).toBeInstanceOf(Tensor);
      expect(sum.dtype).toBe('float32');
      expect([...sum.dims]).toEqual([2, 3]);
      expect([...(sum.data as Float32Array)]).toEqual([11, 22, 33, 44, 55, 66]);
    });

    it('runs dynamic batch sizes and returns every output', async () => {
      const session = await open('dynamic');
      for (const n of [1, 3]) {
        const values = Array.from({ length: n * 4 }, (_, i) => i - 5);
        const out = await session.run({ x: f32(values, [n, 4]) });
        expect([...(out.relu as Tensor).dims]).toEqual([n, 4]);
        expect([...((out.relu as Tensor).data as Float32Array)]).toEqual(values.map((v) => Math.max(v, 0)));
        // `+ 0` folds -0 into 0: runtimes differ on the sign of a negated zero.
        expect([...((out.neg as Tensor).data as Float32Array)].map((v) => v + 0)).toEqual(values.map((v) => -v + 0));
      }
    });

    it('computes only the outputs asked for', async () => {
      const session = await open('dynamic');
      const out = await session.run({ x: f32([1, -1, 2, -2], [1, 4]) }, { outputNames: ['neg'] });
      expect(Object.keys(out)).toEqual(['neg']);
      await expectCode(session.run({ x: f32([1, -1, 2, -2], [1, 4]) }, { outputNames: ['nope'] }), 'INVALID_CONFIG');
    });

    it('keeps int64 values exact', async () => {
      const session = await open('int64');
      const ids = BigInt64Array.from([0n, 41n, 2n ** 40n]);
      const out = await session.run({ ids: new Tensor('int64', ids, [3]) });
      expect((out.next as Tensor).dtype).toBe('int64');
      expect([...((out.next as Tensor).data as BigInt64Array)]).toEqual([1n, 42n, 2n ** 40n + 1n]);
    });

    it('answers concurrent runs on one session correctly', async () => {
      const session = await open('add');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, k) => session.run({ a: f32([k, k, k, k, k, k], [2, 3]), b: f32([1, 1, 1, 1, 1, 1], [2, 3]) })),
      );
      results.forEach((out, k) => expect([...((out.sum as Tensor).data as Float32Array)]).toEqual(Array(6).fill(k + 1)));
    });

    it('rejects bad feeds with typed errors', async () => {
      const session = await open('add');
      const good = f32([1, 2, 3, 4, 5, 6], [2, 3]);
      await expectCode(session.run({ a: good, b: good, c: good }), 'INVALID_INPUT_NAME');
      await expectCode(session.run({ a: good }), 'MISSING_INPUT');
      await expectCode(session.run({ a: good, b: f32([1, 2, 3], [1, 3]) }), 'SHAPE_MISMATCH');
      await expectCode(session.run({ a: good, b: f32([1, 2, 3, 4, 5, 6], [6]) }), 'SHAPE_MISMATCH');
      await expectCode(session.run({ a: good, b: new Tensor('int32', Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]) }), 'DTYPE_MISMATCH');
    });

    it('rejects a corrupt or empty model with MODEL_LOAD_FAILED', async () => {
      const garbage = new TextEncoder().encode('this is not a model, just some text that no runtime can parse');
      await expectCode(backend.createSession(garbage, { device: options.device }), 'MODEL_LOAD_FAILED');
      await expectCode(backend.createSession(new Uint8Array(0), { device: options.device }), 'MODEL_LOAD_FAILED');
      const real = encode(conformanceModels.add);
      if (real instanceof Uint8Array) {
        await expectCode(backend.createSession(real.subarray(0, Math.floor(real.length / 2)), { device: options.device }), 'MODEL_LOAD_FAILED');
      }
      if (options.acceptsPaths) {
        await expectCode(backend.createSession('/nonexistent/model.onnx', { device: options.device }), 'MODEL_LOAD_FAILED');
      }
    });

    it('refuses use after dispose, and dispose twice is harmless', async () => {
      const session = await backend.createSession(encode(conformanceModels.add), { device: options.device });
      await session.dispose();
      await session.dispose();
      expect(session.disposed).toBe(true);
      const t = f32([1, 2, 3, 4, 5, 6], [2, 3]);
      await expectCode(session.run({ a: t, b: t }), 'USE_AFTER_DISPOSE');
    });
  });
}
