import type { BackendCapabilities, DeviceInfo } from '../backend.js';
import type { OpenRequest } from '../base-backend.js';
import { BaseBackend } from '../base-backend.js';
import type { Platform } from '../platform.js';
import type { Feeds } from '../tensor.js';
import { DATA_TYPES, Tensor } from '../tensor.js';
import type { RunOptions, SessionIdentity, TensorInfo } from '../session.js';
import { BaseSession } from '../session.js';
import { ModelLoadError } from '../errors.js';
import type { ModelSpec } from '../onnx-model-builder.js';

/**
 * A backend without a runtime, for tests of code above the backend layer (registries, pipelines, apps). Its "model"
 * is a ModelSpec as JSON (see `encodeMockModel`); it interprets Add, Relu, Neg and Identity.
 */
export interface MockDevice extends DeviceInfo {
  /** When set, the device is unavailable with this reason. */
  unavailable?: string;
}

export interface MockBackendOptions {
  name?: string;
  devices?: readonly MockDevice[];
  defaultDevices?: readonly string[];
  /** Milliseconds each run takes (to test concurrency and timing). */
  latencyMs?: number;
  /** Default: honours every tunable option and no backend options; runs concurrently. */
  capabilities?: BackendCapabilities;
}

export function encodeMockModel(spec: ModelSpec): Uint8Array {
  const initializers = (spec.initializers ?? []).map((t) => ({ ...t, data: Array.from(t.data, String) }));
  return new TextEncoder().encode(JSON.stringify({ ...spec, initializers }));
}

interface LoadedMockModel {
  spec: ModelSpec;
  constants: Map<string, Tensor>;
}

function decodeMockModel(source: Uint8Array, label: string): LoadedMockModel {
  let parsed: ModelSpec & {
    initializers?: { name: string; dtype: 'int64' | 'float32'; dims: number[]; data: string[] }[];
  };
  try {
    parsed = JSON.parse(new TextDecoder().decode(source));
    if (!Array.isArray(parsed.nodes) || !Array.isArray(parsed.inputs)) throw new Error('not a model spec');
  } catch (error) {
    throw new ModelLoadError(label, `not a mock model (${(error as Error).message})`, error);
  }
  const constants = new Map<string, Tensor>();
  for (const init of parsed.initializers ?? []) {
    const tensor =
      init.dtype === 'int64'
        ? new Tensor('int64', BigInt64Array.from(init.data, BigInt), init.dims)
        : new Tensor('float32', Float32Array.from(init.data, Number), init.dims);
    constants.set(init.name, tensor);
  }
  return { spec: parsed, constants };
}

type Values = Map<string, Tensor>;

function elementwise(a: Tensor, b: Tensor | undefined, f: (x: number, y: number) => number): Tensor {
  if (a.dtype === 'int64') {
    const bData = b?.data as BigInt64Array | undefined;
    const out = (a.data as BigInt64Array).map((x, i) => BigInt(f(Number(x), Number(bData?.[i % bData.length] ?? 0n))));
    return new Tensor('int64', out, a.dims);
  }
  const bData = b?.data as Float32Array | undefined;
  const out = (a.data as Float32Array).map((x, i) => f(x, bData?.[i % bData.length] ?? 0));
  return new Tensor('float32', out, a.dims);
}

class MockSession extends BaseSession {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];

  constructor(
    identity: SessionIdentity,
    private readonly model: LoadedMockModel,
    private readonly latencyMs: number,
  ) {
    super(identity);
    const { spec } = model;
    this.inputs = spec.inputs.map((v) => ({ name: v.name, dtype: v.dtype, dims: v.dims }));
    this.outputs = spec.outputs.map((v) => ({ name: v.name, dtype: v.dtype, dims: v.dims }));
  }

  protected async runValidated(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const values: Values = new Map([...this.model.constants, ...Object.entries(feeds)]);
    for (const node of this.model.spec.nodes) {
      const [x, y] = node.inputs.map((n) => values.get(n));
      if (!x) throw new Error(`mock: missing value for ${node.op}`);
      const out =
        node.op === 'Add'
          ? elementwise(x, y, (p, q) => p + q)
          : node.op === 'Relu'
            ? elementwise(x, undefined, (p) => Math.max(p, 0))
            : node.op === 'Neg'
              ? elementwise(x, undefined, (p) => -p)
              : node.op === 'Identity'
                ? x
                : undefined;
      if (!out) throw new Error(`mock: op ${node.op} is not interpreted`);
      values.set(node.outputs[0] as string, out);
    }
    const names = options.outputNames ?? this.outputs.map((o) => o.name);
    return Object.fromEntries(names.map((n) => [n, values.get(n) as Tensor]));
  }

  protected async release(): Promise<void> {}
}

// The mock reads no files: it runs where there is no file system too (a browser page).
const bytesOnly: Platform = {
  name: 'browser',
  readBytes: (location) =>
    Promise.reject(new ModelLoadError(location, 'the mock backend takes model bytes, not paths')),
  checkReadable: (location) =>
    Promise.reject(new ModelLoadError(location, 'the mock backend takes model bytes, not paths')),
  webgpuStatus: async () => ({ available: false, reason: 'the mock backend has no WebGPU' }),
  threadsAllowed: () => ({ allowed: true }),
};

class MockBackend extends BaseBackend {
  readonly name: string;
  readonly devices: readonly MockDevice[];
  readonly defaultDevices: readonly string[];
  readonly capabilities: BackendCapabilities;

  constructor(private readonly options: MockBackendOptions) {
    super(bytesOnly);
    this.name = options.name ?? 'mock';
    this.devices = options.devices ?? [{ name: 'cpu' }];
    this.defaultDevices = options.defaultDevices ?? this.devices.map((d) => d.name);
    this.capabilities = options.capabilities ?? {
      options: ['intraOpThreads', 'interOpThreads', 'graphOptimization'],
      backendOptions: [],
      runPolicy: 'concurrent',
      dtypes: DATA_TYPES,
    };
  }

  protected override deviceUnavailableReason(device: string): string | undefined {
    return this.devices.find((d) => d.name === device)?.unavailable;
  }

  protected override probeModel(): Uint8Array {
    return encodeMockModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4] }],
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
    });
  }

  protected async openSession({ model, identity }: OpenRequest): Promise<MockSession> {
    if (model.kind !== 'bytes') throw new ModelLoadError(model.label, 'the mock backend takes model bytes, not paths');
    return new MockSession(identity, decodeMockModel(model.bytes, model.label), this.options.latencyMs ?? 0);
  }
}

export function createMockBackend(options: MockBackendOptions = {}): BaseBackend {
  return new MockBackend(options);
}
