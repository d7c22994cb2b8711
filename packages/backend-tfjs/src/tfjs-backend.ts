import { withoutKernelReregistrationWarnings } from './quiet-kernel-warnings.js';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendCapabilities, BackendOptionType, OpenRequest, Platform } from '@polyinfer/core';
import { BaseBackend, checkBackendOptionValues, isPolyinferError, ModelLoadError } from '@polyinfer/core';
import { currentPlatform } from '@polyinfer/core/platform';
import { parseOnnxGraph } from './onnx/onnx-graph.js';
import { simplifyGraph } from '@polyinfer/optimize';
import { OnnxProgram } from './onnx-program.js';
import { NATIVE_BINDINGS, TFJS_DEVICES } from './tfjs-devices.js';
import { TfjsSession } from './tfjs-session.js';
import { TFJS_DTYPES } from './tfjs-dtypes.js';

export { TFJS_DTYPES } from './tfjs-dtypes.js';

export const TFJS_BACKEND = 'tfjs';

type DeviceRuntime = { tfBackend: string } | { unavailable: string };

/** How devices come to life where the backend runs (Node or a browser): the entry points each give one. */
export interface TfjsDeviceRuntime {
  /** Loads an optional native binding by module name (Node: dynamic import); rejects when it isn't installed. */
  loadBinding: (module: string) => Promise<unknown>;
  /** Registers and initialises a pure-JS/wasm tfjs backend (cpu, wasm; webgl/webgpu in browsers). */
  initBackend: (device: string) => Promise<DeviceRuntime>;
}

export interface TfjsBackendConfig extends Partial<TfjsDeviceRuntime> {
  /** For tests: another platform than the running one. */
  platform?: Platform;
}

/** Options only this backend understands, passed as `SessionOptions.backendOptions`. */
export interface TfjsBackendOptions {
  /** Fold affine maps, batch norms and hard-swish before running (default true); false runs the graph as written. */
  simplify?: boolean;
  /** Run convolutions and pools channels-last where the layout plan allows (default true). */
  channelsLast?: boolean;
}

declare module '@polyinfer/core' {
  interface BackendOptionsByName {
    tfjs?: TfjsBackendOptions;
  }
}

/** What each backend option takes (declared in the capabilities, checked before the importer runs). */
export const TFJS_BACKEND_OPTION_TYPES = { simplify: 'boolean', channelsLast: 'boolean' } as const satisfies Record<
  keyof TfjsBackendOptions,
  BackendOptionType
>;

/** Throws INVALID_CONFIG naming the option when a value is not what it takes. */
export const validateTfjsBackendOptions = (options: Record<string, unknown>): void =>
  checkBackendOptionValues('tfjs', options, TFJS_BACKEND_OPTION_TYPES);

export class TfjsBackend extends BaseBackend {
  readonly name = TFJS_BACKEND;
  readonly devices = TFJS_DEVICES;
  readonly defaultDevices: readonly string[] = ['tensorflow', 'wasm', 'cpu'];
  // Graph optimisation, threads: tfjs has no such knobs per model; one active tfjs backend per process.
  readonly capabilities: BackendCapabilities = {
    options: [],
    backendOptions: ['simplify', 'channelsLast'] satisfies (keyof TfjsBackendOptions)[],
    backendOptionTypes: TFJS_BACKEND_OPTION_TYPES,
    runPolicy: 'queued-per-process',
    dtypes: TFJS_DTYPES,
  };
  readonly #ready = new Map<string, Promise<DeviceRuntime>>();

  constructor(
    private readonly runtime: TfjsDeviceRuntime,
    platform: Platform = currentPlatform,
  ) {
    super(platform);
  }

  /** The tfjs backend behind a device, initialised once; a failure is remembered with its reason. */
  #backendFor(device: string): Promise<DeviceRuntime> {
    let ready = this.#ready.get(device);
    if (!ready) {
      ready = (async () => {
        const binding = NATIVE_BINDINGS[device];
        if (binding) {
          try {
            await withoutKernelReregistrationWarnings(() => this.runtime.loadBinding(binding.module));
          } catch (error) {
            return {
              unavailable: `${binding.module} could not be loaded (${(error as Error).message.split('\n')[0]?.trim()}); ${binding.hint}`,
            };
          }
          // tfjs-node registers "tensorflow" with the tfjs-core it shares with us.
          if (!tf.findBackendFactory('tensorflow'))
            return {
              unavailable: `${binding.module} loaded, but no "tensorflow" tfjs backend was registered (a second copy of @tensorflow/tfjs-core?)`,
            };
          return (await tf.setBackend('tensorflow'))
            ? { tfBackend: 'tensorflow' }
            : { unavailable: 'the tensorflow tfjs backend failed to initialise' };
        }
        return this.runtime.initBackend(device);
      })();
      this.#ready.set(device, ready);
    }
    return ready;
  }

  protected override async deviceUnavailableReason(device: string): Promise<string | undefined> {
    const ready = await this.#backendFor(device);
    return 'unavailable' in ready ? ready.unavailable : undefined;
  }

  protected async openSession({ model, identity, options }: OpenRequest): Promise<TfjsSession> {
    // Both were settled before this is called: the device by deviceUnavailableReason, the bytes by BaseBackend
    // (this backend does not open paths itself).
    const ready = await this.#backendFor(identity.device);
    const tfBackend = 'tfBackend' in ready ? ready.tfBackend : identity.device;
    const bytes = model.kind === 'bytes' ? model.bytes : new Uint8Array(0);
    try {
      // Exact folds first (affine maps and batch norms into convolutions, hard-swish as one op): every op is a kernel
      // call and a pass over memory here, and exporters leave many that fold away. `backendOptions.simplify: false`
      // runs the graph as written.
      const own = options.backendOptions as TfjsBackendOptions | undefined;
      // The program uploads its constants and computes its constant nodes now: on the device's own tfjs backend.
      if (tf.getBackend() !== tfBackend) await tf.setBackend(tfBackend);
      const graph = parseOnnxGraph(
        bytes,
        model.label,
        own?.simplify !== false ? (decoded) => void simplifyGraph(decoded) : undefined,
      );
      // `channelsLast: false` turns the layout pass off (planChannelsLast): every conv and pool transposes in and out.
      return new TfjsSession(
        identity,
        new OnnxProgram(graph, this.name, model.label, { channelsLast: own?.channelsLast }),
        tfBackend,
      );
    } catch (error) {
      if (isPolyinferError(error)) throw error;
      throw new ModelLoadError(model.label, (error as Error).message, error);
    }
  }
}

/** The create function of an entry point, over its environment's device runtime. */
export function tfjsBackendLoader(defaults: TfjsDeviceRuntime): (config?: TfjsBackendConfig) => TfjsBackend {
  return (config = {}) => {
    const { platform, ...runtime } = config;
    return new TfjsBackend({ ...defaults, ...runtime }, platform);
  };
}
