import type {
  Backend,
  BackendCapabilities,
  DeviceInfo,
  DeviceStatus,
  ModelSource,
  SessionContext,
  SessionOptions,
} from './backend.js';
import { TUNABLE_OPTIONS } from './backend.js';
import { checkBackendOptionValues } from './backend-option-types.js';
import type { Platform } from './platform.js';
import type { IgnoredOption, Session, SessionIdentity } from './session.js';
import type { UnsupportedDtype } from './errors.js';
import {
  ConfigError,
  DeviceUnavailableError,
  ModelLoadError,
  reasonOf,
  UnknownDeviceError,
  UnsupportedDtypeError,
} from './errors.js';
import { buildOnnxModel } from './onnx-model-builder.js';

/**
 * A model as a backend's `openSession` gets it: checked and labelled; read into bytes, or left as a path for a
 * runtime that opens files itself, or as a reference (a name or URL) for a backend whose models live elsewhere.
 */
export type LoadedModel =
  | { kind: 'bytes'; bytes: Uint8Array; label: string }
  | { kind: 'path'; path: string; label: string }
  | { kind: 'reference'; reference: string; label: string };

/** What a backend does with a model given as a string: read it (default), open the path itself, or keep it as a name. */
export type ModelAccess = 'read' | 'path' | 'reference';

/** Everything `openSession` needs: the model, the options asked for, and the identity to give the session. */
export interface OpenRequest {
  model: LoadedModel;
  options: SessionOptions;
  identity: SessionIdentity;
}

let probeModel: Uint8Array | undefined;

/** The tiny graph (one Relu) a backend opens to find out whether a device works, without any user model. */
export function probeModelBytes(): Uint8Array {
  probeModel ??= buildOnnxModel({
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4] }],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
  });
  return probeModel;
}

/**
 * What every backend shares, the counterpart of `BaseSession`: device membership (one `UNKNOWN_DEVICE` everywhere),
 * the options check against declared capabilities, device pre-checks, the model label, reading and checking the
 * model, probing with a cached answer, and the session's provenance given at creation. A backend fills in
 * `openSession` (and, where a device needs more than the runtime, `deviceUnavailableReason`).
 */
export abstract class BaseBackend implements Backend {
  abstract readonly name: string;
  abstract readonly devices: readonly DeviceInfo[];
  abstract readonly defaultDevices: readonly string[];
  abstract readonly capabilities: BackendCapabilities;
  /** See ModelAccess; 'path' lets onnxruntime-node open files itself (external data files beside the model work). */
  protected readonly modelAccess: ModelAccess = 'read';
  readonly #probes = new Map<string, Promise<DeviceStatus>>();

  constructor(protected readonly platform: Platform) {}

  hasDevice(device: string): boolean {
    return this.devices.some((d) => d.name === device);
  }

  /** Whether a device works here, asked once and remembered (the reason included). */
  probe(device: string): Promise<DeviceStatus> {
    let status = this.#probes.get(device);
    if (!status) {
      status = this.hasDevice(device)
        ? this.probeDevice(device)
        : Promise.resolve({ available: false, reason: `${this.name} has no device "${device}"` });
      this.#probes.set(device, status);
    }
    return status;
  }

  async createSession(model: ModelSource, options: SessionOptions, context: SessionContext = {}): Promise<Session> {
    const { device } = options;
    if (!this.hasDevice(device))
      throw new UnknownDeviceError(
        this.name,
        device,
        this.devices.map((d) => d.name),
      );
    const ignoredOptions = this.#checkOptions(options, context.strict ?? false);
    const unavailable = await this.deviceUnavailableReason(device);
    if (unavailable !== undefined) throw new DeviceUnavailableError(this.name, device, unavailable);
    const loaded = await this.#load(model, options.modelName);
    const provenance = {
      requested: context.provenance?.requested ?? [`${this.name}:${device}`],
      skipped: context.provenance?.skipped ?? [],
      ignoredOptions,
    };
    const session = await this.openSession({
      model: loaded,
      options,
      identity: { backend: this.name, device, provenance },
    });
    const unsupported = this.#unsupportedDtypes(session);
    if (unsupported.length > 0) {
      await session.dispose();
      throw new UnsupportedDtypeError(this.name, unsupported, this.capabilities.dtypes);
    }
    return session;
  }

  /** A model's inputs and outputs of dtypes this backend does not declare (what the runtime reported, unknown names too). */
  #unsupportedDtypes(session: Session): UnsupportedDtype[] {
    const runs = new Set<string>(this.capabilities.dtypes);
    const of = (role: UnsupportedDtype['role'], infos: Session['inputs']): UnsupportedDtype[] =>
      infos.filter((t) => !runs.has(t.dtype)).map((t) => ({ tensor: t.name, role, dtype: t.dtype }));
    return [...of('input', session.inputs), ...of('output', session.outputs)];
  }

  /** Opens the runtime's session; throw DeviceUnavailableError when the device fails, ModelLoadError when the model does. */
  protected abstract openSession(request: OpenRequest): Promise<Session>;

  /** Why a device can't be used here, found before the model is touched (undefined: try it). */
  protected deviceUnavailableReason(_device: string): Promise<string | undefined> | string | undefined {
    return undefined;
  }

  /** The model a probe opens (a one-Relu ONNX graph; a backend that reads another format gives its own). */
  protected probeModel(): Uint8Array {
    return probeModelBytes();
  }

  /** Finds out whether a device of this backend works: by default, by opening and closing the probe model on it. */
  protected async probeDevice(device: string): Promise<DeviceStatus> {
    try {
      const session = await this.createSession(this.probeModel(), { device, modelName: 'probe model' });
      await session.dispose();
      return { available: true };
    } catch (error) {
      return { available: false, reason: reasonOf(error) };
    }
  }

  #checkOptions(options: SessionOptions, strict: boolean): IgnoredOption[] {
    checkBackendOptionValues(this.name, options.backendOptions, this.capabilities.backendOptionTypes ?? {});
    const ignored: IgnoredOption[] = [];
    const { options: honoured, backendOptions: known } = this.capabilities;
    for (const option of TUNABLE_OPTIONS) {
      if (options[option] !== undefined && !honoured.includes(option)) {
        ignored.push({
          option,
          reason: `${this.name} does not honour ${option} (it honours: ${honoured.join(', ') || 'none of the tunable options'})`,
        });
      }
    }
    for (const key of Object.keys(options.backendOptions ?? {})) {
      if (!known.includes(key)) {
        ignored.push({
          option: `backendOptions.${key}`,
          reason: `${this.name} has no backend option "${key}" (it has: ${known.join(', ') || 'none'})`,
        });
      }
    }
    if (strict && ignored.length > 0) {
      throw new ConfigError(
        `${this.name} cannot honour ${ignored.map((i) => i.option).join(', ')}: ${ignored.map((i) => i.reason).join('; ')}`,
        {
          backend: this.name,
          ignored,
        },
      );
    }
    return ignored;
  }

  async #load(model: ModelSource, modelName: string | undefined): Promise<LoadedModel> {
    if (typeof model === 'string') {
      if (this.modelAccess === 'reference') return { kind: 'reference', reference: model, label: model };
      if (this.modelAccess === 'path') {
        await this.platform.checkReadable(model);
        return { kind: 'path', path: model, label: model };
      }
      const bytes = await this.platform.readBytes(model);
      if (bytes.byteLength === 0) throw new ModelLoadError(model, 'the model is empty (0 bytes)');
      return { kind: 'bytes', bytes, label: model };
    }
    if (!(model instanceof Uint8Array)) {
      throw new ModelLoadError(
        modelName ?? '<model>',
        `a model is bytes (Uint8Array) or a path/URL string, got ${typeof model}`,
      );
    }
    const label = modelName ?? `<${model.byteLength} bytes>`;
    if (model.byteLength === 0) throw new ModelLoadError(label, 'the model is empty (0 bytes)');
    return { kind: 'bytes', bytes: model, label };
  }
}
