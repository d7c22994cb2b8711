import type { Backend, DeviceInfo, DeviceStatus, ModelSource, SessionOptions } from '../backend.js';
import type { Feeds } from '../tensor.js';
import { Tensor } from '../tensor.js';
import type { RunOptions, TensorInfo } from '../session.js';
import { BaseSession } from '../session.js';
import { DeviceUnavailableError, ModelLoadError } from '../errors.js';
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
}

export function encodeMockModel(spec: ModelSpec): Uint8Array {
  const initializers = (spec.initializers ?? []).map((t) => ({ ...t, data: Array.from(t.data, String) }));
  return new TextEncoder().encode(JSON.stringify({ ...spec, initializers }));
}

interface LoadedMockModel {
  spec: ModelSpec;
  constants: Map<string, Tensor>;
}

function decodeMockModel(source: ModelSource): LoadedMockModel {
  if (typeof source === 'string') throw new ModelLoadError(source, 'the mock backend takes model bytes, not paths');
  let parsed: ModelSpec & { initializers?: { name: string; dtype: 'int64' | 'float32'; dims: number[]; data: string[] }[] };
  try {
    parsed = JSON.parse(new TextDecoder().decode(source));
    if (!Array.isArray(parsed.nodes) || !Array.isArray(parsed.inputs)) throw new Error('not a model spec');
  } catch (error) {
    throw new ModelLoadError('<bytes>', `not a mock model (${(error as Error).message})`, error);
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
    readonly backend: string,
    readonly device: string,
    private readonly model: LoadedMockModel,
    private readonly latencyMs: number,
  ) {
    super();
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
        node.op === 'Add' ? elementwise(x, y, (p, q) => p + q)
        : node.op === 'Relu' ? elementwise(x, undefined, (p) => Math.max(p, 0))
        : node.op === 'Neg' ? elementwise(x, undefined, (p) => -p)
        : node.op === 'Identity' ? x
        : undefined;
      if (!out) throw new Error(`mock: op ${node.op} is not interpreted`);
      values.set(node.outputs[0] as string, out);
    }
    const names = options.outputNames ?? this.outputs.map((o) => o.name);
    return Object.fromEntries(names.map((n) => [n, values.get(n) as Tensor]));
  }

  protected async release(): Promise<void> {}
}

export function createMockBackend(options: MockBackendOptions = {}): Backend {
  const name = options.name ?? 'mock';
  const devices = options.devices ?? [{ name: 'cpu' }];
  const status = (device: string): DeviceStatus => {
    const info = devices.find((d) => d.name === device);
    if (!info) return { available: false, reason: `unknown device ${device}` };
    return info.unavailable ? { available: false, reason: info.unavailable } : { available: true };
  };
  return {
    name,
    devices,
    defaultDevices: options.defaultDevices ?? devices.map((d) => d.name),
    probe: async (device) => status(device),
    createSession: async (model: ModelSource, sessionOptions: SessionOptions) => {
      const s = status(sessionOptions.device);
      if (!s.available) throw new DeviceUnavailableError(name, sessionOptions.device, s.reason);
      return new MockSession(name, sessionOptions.device, decodeMockModel(model), options.latencyMs ?? 0);
    },
  };
}
