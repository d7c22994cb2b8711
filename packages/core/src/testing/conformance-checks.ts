import type { Backend, ModelSource } from '../backend.js';
import { TUNABLE_OPTIONS } from '../backend.js';
import type { Session } from '../session.js';
import type { DataType } from '../tensor.js';
import { DATA_TYPES, Tensor } from '../tensor.js';
import { isPolyinferError } from '../errors.js';
import { buildOnnxModel } from '../onnx-model-builder.js';
import type { ModelSpec } from '../onnx-model-builder.js';
import { conformanceModels, DTYPE_SAMPLES, dtypeIdentityModel } from './conformance-models.js';
import type { ConformanceModelName } from './conformance-models.js';
import { assert, assertEqual, ConformanceFailure } from './assertions.js';

export interface ConformanceTarget {
  backend: Backend;
  device: string;
  /** How a model spec becomes what the backend loads (default: ONNX bytes). */
  encodeModel?: (spec: ModelSpec) => ModelSource;
  /** The backend also loads models from file paths (Node backends). */
  acceptsPaths?: boolean;
  /** The dtypes to carry end to end (default: all the backend declares; a remote backend's are those its server runs). */
  dtypes?: readonly DataType[];
}

export interface ConformanceContext extends Required<Omit<ConformanceTarget, 'acceptsPaths' | 'dtypes'>> {
  acceptsPaths: boolean;
  /** Set when the target narrows the backend's declared dtypes. */
  dtypes: readonly DataType[] | undefined;
  open(name: ConformanceModelName): Promise<Session>;
}

export interface ConformanceCheck {
  name: string;
  /** Why the check does not apply to this target (it is then reported as skipped, with the reason). */
  skip?(target: ConformanceTarget): string | undefined;
  run(ctx: ConformanceContext): Promise<void>;
}

/** The first dtype polyinfer holds that a backend does not declare. */
const undeclaredDtype = (backend: Backend): DataType | undefined =>
  DATA_TYPES.find((d) => !backend.capabilities.dtypes.includes(d));

async function expectCode(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e ?? new Error('rejected with nothing'),
  );
  if (error === undefined) throw new ConformanceFailure(`${what}: expected error ${code}, but it succeeded`);
  if (!isPolyinferError(error, code)) {
    throw new ConformanceFailure(
      `${what}: expected error ${code}, got ${String((error as { code?: string }).code)}: ${(error as Error).message}`,
    );
  }
}

const f32 = (values: number[], dims: number[]): Tensor<'float32'> =>
  new Tensor('float32', Float32Array.from(values), dims);
const values = (t: Tensor | undefined): unknown[] => Array.from((t?.data ?? []) as ArrayLike<unknown>);

/**
 * The contract every polyinfer backend keeps: metadata, results, dynamic dims, int64, output selection, concurrency,
 * the typed errors for bad feeds and bad models, and dispose. Framework-free, so the same checks run in Node (through
 * `describeBackendConformance`) and inside a browser page (through `runConformanceChecks`).
 */
export const conformanceChecks: readonly ConformanceCheck[] = [
  {
    name: 'probes the device as available, an unknown one as unavailable',
    async run({ backend, device }) {
      assertEqual(await backend.probe(device), { available: true }, 'probe');
      assertEqual((await backend.probe('no-such-device')).available, false, 'probe of an unknown device');
    },
  },
  {
    name: 'names an unknown device UNKNOWN_DEVICE, listing its devices',
    async run({ backend, encodeModel }) {
      await expectCode(
        backend.createSession(encodeModel(conformanceModels.add), { device: 'no-such-device' }),
        'UNKNOWN_DEVICE',
        'unknown device',
      );
    },
  },
  {
    name: 'reports an option it does not honour: a warning in provenance, INVALID_CONFIG when strict',
    async run({ backend, device, encodeModel }) {
      const model = encodeModel(conformanceModels.add);
      const unhonoured = TUNABLE_OPTIONS.filter((o) => !backend.capabilities.options.includes(o));
      const asked = {
        intraOpThreads: 1,
        interOpThreads: 1,
        graphOptimization: 'all' as const,
        backendOptions: { conformanceNoSuchOption: true },
      };
      const session = await backend.createSession(model, { device, ...asked });
      try {
        assertEqual(
          session.provenance.ignoredOptions.map((i) => i.option).sort(),
          [...unhonoured, 'backendOptions.conformanceNoSuchOption'].sort(),
          'ignored options recorded (every tunable option the capabilities leave out, and the unknown backend option)',
        );
      } finally {
        await session.dispose();
      }
      await expectCode(
        backend.createSession(model, { device, ...asked }, { strict: true }),
        'INVALID_CONFIG',
        'unhonoured option in strict mode',
      );
    },
  },
  {
    name: 'is given its provenance at creation',
    async run({ backend, device, open }) {
      const session = await open('add');
      assertEqual(session.provenance.requested, [`${backend.name}:${device}`], 'provenance.requested');
      assertEqual(session.provenance.skipped, [], 'provenance.skipped');
    },
  },
  {
    name: 'reports backend, device and input/output metadata',
    async run({ backend, device, open }) {
      const session = await open('add');
      assertEqual(session.backend, backend.name, 'session.backend');
      assertEqual(session.device, device, 'session.device');
      assertEqual(
        session.inputs.map((i) => [i.name, i.dtype, [...i.dims]]),
        [
          ['a', 'float32', [2, 3]],
          ['b', 'float32', [2, 3]],
        ],
        'inputs',
      );
      assertEqual(
        session.outputs.map((o) => o.name),
        ['sum'],
        'outputs',
      );
    },
  },
  {
    name: 'computes a + b',
    async run({ open }) {
      const out = await (
        await open('add')
      ).run({ a: f32([1, 2, 3, 4, 5, 6], [2, 3]), b: f32([10, 20, 30, 40, 50, 60], [2, 3]) });
      const sum = out.sum;
      assert(sum instanceof Tensor, 'the output is a polyinfer Tensor');
      assertEqual([sum.dtype, [...sum.dims]], ['float32', [2, 3]], 'dtype and dims');
      assertEqual(values(sum), [11, 22, 33, 44, 55, 66], 'a + b');
    },
  },
  {
    name: 'runs dynamic batch sizes and returns every output',
    async run({ open }) {
      const session = await open('dynamic');
      for (const n of [1, 3]) {
        const input = Array.from({ length: n * 4 }, (_, i) => i - 5);
        const out = await session.run({ x: f32(input, [n, 4]) });
        assertEqual([...(out.relu?.dims ?? [])], [n, 4], `relu dims for N=${n}`);
        assertEqual(
          values(out.relu),
          input.map((v) => Math.max(v, 0)),
          `relu for N=${n}`,
        );
        // `+ 0` folds -0 into 0: runtimes differ on the sign of a negated zero.
        assertEqual(
          values(out.neg).map((v) => (v as number) + 0),
          input.map((v) => -v + 0),
          `neg for N=${n}`,
        );
      }
    },
  },
  {
    name: 'computes only the outputs asked for, and names an unknown one',
    async run({ open }) {
      const session = await open('dynamic');
      const out = await session.run({ x: f32([1, -1, 2, -2], [1, 4]) }, { outputNames: ['neg'] });
      assertEqual(Object.keys(out), ['neg'], 'outputs returned');
      await expectCode(
        session.run({ x: f32([1, -1, 2, -2], [1, 4]) }, { outputNames: ['nope'] }),
        'INVALID_CONFIG',
        'unknown output',
      );
    },
  },
  {
    name: 'keeps int64 values exact',
    async run({ open }) {
      const out = await (
        await open('int64')
      ).run({ ids: new Tensor('int64', BigInt64Array.from([0n, 41n, 2n ** 40n]), [3]) });
      assertEqual(out.next?.dtype, 'int64', 'dtype');
      assertEqual(values(out.next), [1n, 42n, 2n ** 40n + 1n], 'ids + 1');
    },
  },
  {
    name: 'carries every dtype it declares in and out unchanged',
    async run({ backend, device, encodeModel, dtypes }) {
      for (const dtype of dtypes ?? backend.capabilities.dtypes) {
        const session = await backend.createSession(encodeModel(dtypeIdentityModel(dtype)), {
          device,
          modelName: `identity-${dtype}`,
        });
        try {
          assertEqual(
            session.inputs.map((i) => i.dtype),
            [dtype],
            `${dtype}: input metadata`,
          );
          const x = new Tensor(dtype, DTYPE_SAMPLES[dtype](), [5]);
          const out = await session.run({ x }).catch((error: unknown) => {
            // A runtime that holds only part of a dtype's range may refuse the values it cannot hold: a typed refusal
            // naming the dtype is allowed, a changed value never is.
            if (isPolyinferError(error, 'INVALID_TENSOR') && error.message.includes(dtype)) return undefined;
            throw error;
          });
          if (out === undefined) continue;
          assertEqual([out.y?.dtype, out.y?.dims], [dtype, [5]], `${dtype}: output dtype and dims`);
          assertEqual(values(out.y), values(x), `${dtype}: values`);
        } finally {
          await session.dispose();
        }
      }
    },
  },
  {
    name: 'refuses at load a model with a dtype it does not run, naming the tensor (UNSUPPORTED_DTYPE)',
    skip: (target) =>
      target.dtypes !== undefined
        ? 'the target narrows the dtypes: its models come from elsewhere'
        : undeclaredDtype(target.backend) === undefined
          ? 'the backend declares every dtype'
          : undefined,
    async run({ backend, device, encodeModel }) {
      const dtype = undeclaredDtype(backend) as DataType;
      const error = await backend.createSession(encodeModel(dtypeIdentityModel(dtype)), { device }).then(
        async (session) => {
          await session.dispose();
          return undefined;
        },
        (e: unknown) => e,
      );
      assert(
        isPolyinferError(error, 'UNSUPPORTED_DTYPE'),
        `a ${dtype} model: expected UNSUPPORTED_DTYPE, got ${error === undefined ? 'a session' : String((error as { code?: string }).code)}`,
      );
      assert(
        (error as Error).message.includes(`"x" is ${dtype}`),
        `the message names input x and ${dtype}: ${(error as Error).message}`,
      );
    },
  },
  {
    name: 'answers concurrent runs on one session correctly',
    async run({ open }) {
      const session = await open('add');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, k) =>
          session.run({ a: f32(Array(6).fill(k), [2, 3]), b: f32(Array(6).fill(1), [2, 3]) }),
        ),
      );
      results.forEach((out, k) => assertEqual(values(out.sum), Array(6).fill(k + 1), `run ${k}`));
    },
  },
  {
    name: 'rejects bad feeds with typed errors',
    async run({ open }) {
      const session = await open('add');
      const good = f32([1, 2, 3, 4, 5, 6], [2, 3]);
      await expectCode(session.run({ a: good, b: good, c: good }), 'INVALID_INPUT_NAME', 'extra input');
      await expectCode(session.run({ a: good }), 'MISSING_INPUT', 'missing input');
      await expectCode(session.run({ a: good, b: f32([1, 2, 3], [1, 3]) }), 'SHAPE_MISMATCH', 'wrong dim');
      await expectCode(session.run({ a: good, b: f32([1, 2, 3, 4, 5, 6], [6]) }), 'SHAPE_MISMATCH', 'wrong rank');
      await expectCode(
        session.run({ a: good, b: new Tensor('int32', Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]) }),
        'DTYPE_MISMATCH',
        'wrong dtype',
      );
    },
  },
  {
    name: 'rejects a corrupt, truncated or empty model with MODEL_LOAD_FAILED',
    async run({ backend, device, encodeModel, acceptsPaths }) {
      const garbage = new TextEncoder().encode('this is not a model, just some text that no runtime can parse');
      await expectCode(backend.createSession(garbage, { device }), 'MODEL_LOAD_FAILED', 'text as a model');
      await expectCode(backend.createSession(new Uint8Array(0), { device }), 'MODEL_LOAD_FAILED', 'empty model');
      const real = encodeModel(conformanceModels.add);
      if (real instanceof Uint8Array) {
        await expectCode(
          backend.createSession(real.subarray(0, Math.floor(real.length / 2)), { device }),
          'MODEL_LOAD_FAILED',
          'truncated model',
        );
      }
      if (acceptsPaths)
        await expectCode(
          backend.createSession('/nonexistent/model.onnx', { device }),
          'MODEL_LOAD_FAILED',
          'missing file',
        );
    },
  },
  {
    name: 'refuses use after dispose, and dispose twice is harmless',
    async run({ backend, device, encodeModel }) {
      const session = await backend.createSession(encodeModel(conformanceModels.add), { device });
      await session.dispose();
      await session.dispose();
      assertEqual(session.disposed, true, 'session.disposed');
      const t = f32([1, 2, 3, 4, 5, 6], [2, 3]);
      await expectCode(session.run({ a: t, b: t }), 'USE_AFTER_DISPOSE', 'run after dispose');
    },
  },
];

/** Shares one session per conformance model across checks; `close` disposes them. */
export function createConformanceContext(target: ConformanceTarget): ConformanceContext & { close(): Promise<void> } {
  const encodeModel = target.encodeModel ?? buildOnnxModel;
  const sessions = new Map<ConformanceModelName, Promise<Session>>();
  return {
    backend: target.backend,
    device: target.device,
    encodeModel,
    acceptsPaths: target.acceptsPaths ?? false,
    dtypes: target.dtypes,
    open(name) {
      let session = sessions.get(name);
      if (!session) {
        session = target.backend.createSession(encodeModel(conformanceModels[name]), { device: target.device });
        sessions.set(name, session);
      }
      return session;
    },
    async close() {
      await Promise.all([...sessions.values()].map(async (s) => (await s.catch(() => undefined))?.dispose()));
    },
  };
}

export interface ConformanceResult {
  name: string;
  ok: boolean;
  /** Why the check did not apply (ok is then true and nothing ran). */
  skipped?: string;
  error?: string;
  ms: number;
}

/** Runs every check and reports each outcome (for pages and other places without a test runner). */
export async function runConformanceChecks(target: ConformanceTarget): Promise<ConformanceResult[]> {
  const ctx = createConformanceContext(target);
  const results: ConformanceResult[] = [];
  try {
    for (const check of conformanceChecks) {
      const skipped = check.skip?.(target);
      if (skipped !== undefined) {
        results.push({ name: check.name, ok: true, skipped, ms: 0 });
        continue;
      }
      const start = performance.now();
      try {
        await check.run(ctx);
        results.push({ name: check.name, ok: true, ms: performance.now() - start });
      } catch (error) {
        results.push({
          name: check.name,
          ok: false,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          ms: performance.now() - start,
        });
      }
    }
  } finally {
    await ctx.close();
  }
  return results;
}
