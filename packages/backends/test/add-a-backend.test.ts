// Follows the README's "How to add a backend" step by step with a fifth backend of its own: a thin one over
// onnxruntime-node's InferenceSession, written here as a user would, then added to the catalogue with one entry.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type {
  BackendCapabilities,
  DeviceInfo,
  Feeds,
  OpenRequest,
  RunOptions,
  SessionIdentity,
  TensorInfo,
} from '@polyinfer/core';
import { BaseBackend, BaseSession, createRegistry, defineBackendEntry, ModelLoadError, Tensor } from '@polyinfer/core';
import { currentPlatform } from '@polyinfer/core/platform';
import { conformanceModels, runConformanceChecks } from '@polyinfer/core/testing';
import { buildOnnxModel } from '@polyinfer/core';
import type { CatalogueEntry } from '@polyinfer/backends';
import { BACKEND_CATALOGUE, catalogueTargets, registerCatalogue } from '@polyinfer/backends';

// Step 3: the session. Feeds arrive validated; it converts, runs and converts back.
class ToySession extends BaseSession {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];

  constructor(
    identity: SessionIdentity,
    private readonly session: ort.InferenceSession,
  ) {
    super(identity);
    const info = (names: readonly string[], metadata: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] =>
      names.map((name, i) => {
        const m = metadata[i] as ort.InferenceSession.ValueMetadata & { type?: string; shape?: (number | string)[] };
        return { name, dtype: (m.type ?? 'float32') as TensorInfo['dtype'], dims: m.shape ?? [] };
      });
    this.inputs = info(session.inputNames, session.inputMetadata);
    this.outputs = info(session.outputNames, session.outputMetadata);
  }

  protected async runValidated(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    const ortFeeds = Object.fromEntries(
      Object.entries(feeds).map(([name, t]) => [
        name,
        new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, t.dims),
      ]),
    );
    const out = options.outputNames
      ? await this.session.run(ortFeeds, [...options.outputNames])
      : await this.session.run(ortFeeds);
    return Object.fromEntries(
      Object.entries(out).map(([name, t]) => [name, new Tensor(t.type as 'float32', t.data as Float32Array, t.dims)]),
    );
  }

  protected release(): Promise<void> {
    return this.session.release();
  }
}

// Steps 1 and 2: the backend. BaseBackend has refused unknown devices, checked options and read the model's bytes.
class ToyBackend extends BaseBackend {
  readonly name = 'toy';
  readonly devices: readonly DeviceInfo[] = [
    { name: 'cpu', description: 'onnxruntime-node, called directly', environments: ['node'] },
  ];
  readonly defaultDevices = ['cpu'];
  readonly capabilities: BackendCapabilities = {
    options: [],
    backendOptions: [],
    runPolicy: 'concurrent',
    dtypes: ['float32', 'int64'],
  };

  constructor() {
    super(currentPlatform);
  }

  protected async openSession({ model, identity }: OpenRequest): Promise<ToySession> {
    if (model.kind !== 'bytes') throw new ModelLoadError(model.label, 'the toy backend reads model bytes');
    try {
      return new ToySession(identity, await ort.InferenceSession.create(model.bytes));
    } catch (error) {
      throw new ModelLoadError(model.label, (error as Error).message, error);
    }
  }
}

// Step 4: the package's entry.
const toyEntry = defineBackendEntry<undefined, ToyBackend>('toy', 5, () => new ToyBackend());

// Step 6: one catalogue entry.
const TOY: CatalogueEntry = {
  name: 'toy',
  packageName: '@example/backend-toy',
  summary: 'onnxruntime-node without polyinfer between',
  priority: 5,
  environments: ['node'],
  load: async () => ({ devices: new ToyBackend().devices, create: () => toyEntry.create() }),
};
const catalogue = [...BACKEND_CATALOGUE, TOY];

describe('a fifth backend is one package plus one catalogue entry', () => {
  it('step 5: passes the backend conformance suite', async () => {
    const results = await runConformanceChecks({ backend: await toyEntry.create(), device: 'cpu' });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.filter((r) => !r.skipped).length).toBeGreaterThan(8);
  });

  it('step 6: the catalogue registers it, lists its devices and a session opens on it by name', async () => {
    const registry = registerCatalogue(createRegistry(), 'node', {}, catalogue);
    expect(registry.names).toEqual(['ort-node', 'ort-web', 'tfjs', 'toy', 'remote']);
    expect((await catalogueTargets('node', catalogue)).filter((t) => t.backend === 'toy')).toEqual([
      { backend: 'toy', device: 'cpu' },
    ]);
    const session = await registry.createSession(buildOnnxModel(conformanceModels.add), { backend: 'toy' });
    try {
      const out = await session.run({
        a: new Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
        b: new Tensor('float32', Float32Array.from([10, 20, 30, 40, 50, 60]), [2, 3]),
      });
      expect([session.backend, Array.from(Object.values(out)[0]?.data as Float32Array)]).toEqual([
        'toy',
        [11, 22, 33, 44, 55, 66],
      ]);
    } finally {
      await session.dispose();
    }
    const report = await registry.report();
    expect(report.find((r) => r.backend === 'toy')?.devices).toEqual([
      { backend: 'toy', device: 'cpu', available: true, experimental: false, reason: '' },
    ]);
  });
});

describe('the catalogue', () => {
  it("holds each package's own priority, name and device table", async () => {
    const packages = {
      'ort-node': await import('@polyinfer/backend-ort-node/base'),
      'ort-web': await import('@polyinfer/backend-ort-web/base'),
      tfjs: await import('@polyinfer/backend-tfjs/base'),
      remote: await import('@polyinfer/backend-remote/base'),
    };
    const own = {
      'ort-node': [
        packages['ort-node'].ORT_NODE_BACKEND,
        packages['ort-node'].ORT_NODE_PRIORITY,
        packages['ort-node'].ORT_NODE_DEVICES,
      ],
      'ort-web': [
        packages['ort-web'].ORT_WEB_BACKEND,
        packages['ort-web'].ORT_WEB_PRIORITY,
        packages['ort-web'].ORT_WEB_DEVICES,
      ],
      tfjs: [packages.tfjs.TFJS_BACKEND, packages.tfjs.TFJS_PRIORITY, packages.tfjs.TFJS_DEVICES],
      remote: [packages.remote.REMOTE_BACKEND, packages.remote.REMOTE_PRIORITY, packages.remote.REMOTE_DEVICES],
    } as const;
    for (const entry of BACKEND_CATALOGUE) {
      const [name, priority, devices] = own[entry.name as keyof typeof own];
      expect([entry.name, entry.priority, (await entry.load()).devices]).toEqual([name, priority, devices]);
    }
    expect(BACKEND_CATALOGUE.map((e) => e.priority)).toEqual(
      [...BACKEND_CATALOGUE.map((e) => e.priority)].sort((a, b) => b - a),
    );
  });

  it('registers in a page only what runs in browsers', () => {
    expect(registerCatalogue(createRegistry(), 'browser').names).toEqual(['ort-web', 'tfjs', 'remote']);
  });
});
