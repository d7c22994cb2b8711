import * as tf from '@tensorflow/tfjs-core';
import type { Backend, DeviceStatus, ModelSource, SessionOptions } from '@polyinfer/core';
import { DeviceProbes, DeviceUnavailableError, isPolyinferError, ModelLoadError } from '@polyinfer/core';
import { parseOnnxGraph } from './onnx/onnx-graph.js';
import { OnnxProgram } from './onnx-program.js';
import { NATIVE_BINDINGS, TFJS_DEVICES } from './tfjs-devices.js';
import { TfjsSession } from './tfjs-session.js';

export const TFJS_BACKEND = 'tfjs';

export interface TfjsBackendConfig {
  /** Reads a model path (Node: the file system). */
  readModel: (path: string) => Promise<Uint8Array>;
  /** Loads an optional native binding by module name (Node: dynamic import); rejects when it isn't installed. */
  loadBinding: (module: string) => Promise<unknown>;
  /** Registers and initialises a pure-JS/wasm tfjs backend (cpu, wasm; webgl/webgpu in browsers). */
  initBackend: (device: string) => Promise<{ tfBackend: string } | { unavailable: string }>;
}

export class TfjsBackend implements Backend {
  readonly name = TFJS_BACKEND;
  readonly devices = TFJS_DEVICES;
  readonly defaultDevices: readonly string[] = ['tensorflow', 'wasm', 'cpu'];
  readonly #ready = new Map<string, Promise<{ tfBackend: string } | { unavailable: string }>>();
  readonly #probes = new DeviceProbes(this);

  constructor(private readonly config: TfjsBackendConfig) {}

  /** The tfjs backend behind a device, initialised once; a failure is remembered with its reason. */
  #backendFor(device: string): Promise<{ tfBackend: string } | { unavailable: string }> {
    let ready = this.#ready.get(device);
    if (!ready) {
      ready = (async () => {
        const binding = NATIVE_BINDINGS[device];
        if (binding) {
          try {
            await this.config.loadBinding(binding.module);
          } catch (error) {
            return { unavailable: `${binding.module} could not be loaded (${(error as Error).message.split("\n")[0]?.trim()}); ${binding.hint}` };
          }
          // tfjs-node registers "tensorflow" with the tfjs-core it shares with us.
          if (!tf.findBackendFactory('tensorflow')) return { unavailable: `${binding.module} loaded, but no "tensorflow" tfjs backend was registered (a second copy of @tensorflow/tfjs-core?)` };
          return (await tf.setBackend('tensorflow')) ? { tfBackend: 'tensorflow' } : { unavailable: 'the tensorflow tfjs backend failed to initialise' };
        }
        return this.config.initBackend(device);
      })();
      this.#ready.set(device, ready);
    }
    return ready;
  }

  probe(device: string): Promise<DeviceStatus> {
    return this.#probes.probe(device);
  }

  async createSession(model: ModelSource, options: SessionOptions): Promise<TfjsSession> {
    const { device } = options;
    if (!this.devices.some((d) => d.name === device)) throw new DeviceUnavailableError(this.name, device, `tfjs has no device "${device}"`);
    const ready = await this.#backendFor(device);
    if ('unavailable' in ready) throw new DeviceUnavailableError(this.name, device, ready.unavailable);
    const source = typeof model === 'string' ? model : (options.modelName ?? `<${model.byteLength} bytes>`);
    const bytes = typeof model === 'string' ? await this.config.readModel(model) : model;
    try {
      const graph = parseOnnxGraph(bytes, source);
      return new TfjsSession(new OnnxProgram(graph, this.name, source), this.name, device, ready.tfBackend);
    } catch (error) {
      if (isPolyinferError(error)) throw error;
      throw new ModelLoadError(source, (error as Error).message, error);
    }
  }
}
