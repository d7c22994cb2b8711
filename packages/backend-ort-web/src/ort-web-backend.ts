import type * as Ort from 'onnxruntime-web';
import type { Backend, DeviceInfo, DeviceStatus, ModelSource, SessionOptions } from '@polyinfer/core';
import { DeviceProbes, DeviceUnavailableError, isPolyinferError, ModelLoadError } from '@polyinfer/core';
import type { OrtWebPlatform } from './ort-web-platform.js';
import { OrtWebSession } from './ort-web-session.js';

export const ORT_WEB_BACKEND = 'ort-web';

export type OrtModule = typeof Ort;

export const ORT_WEB_DEVICES: readonly DeviceInfo[] = [
  { name: 'wasm', description: 'WebAssembly CPU execution provider (SIMD; threads where SharedArrayBuffer is allowed)' },
  { name: 'webgpu', description: 'WebGPU execution provider (browsers with an adapter; Node with a WebGPU implementation)' },
];

export interface OrtWebBackendConfig {
  /**
   * wasm threads. onnxruntime-web's environment is global: the first backend created in a realm sets it.
   * Default: 2 where threads are allowed (its own default there is 1 on small machines), else 1.
   */
  numThreads?: number;
  /** Where the .wasm/.mjs runtime files are served from (a URL prefix or a file → URL map). */
  wasmPaths?: string | Record<string, string>;
  /** For tests: load another module in place of onnxruntime-web. */
  loadRuntime?: () => Promise<OrtModule>;
}

export interface OrtWebEnvironment {
  platform: 'node' | 'browser';
  numThreads: number;
  /** Why wasm runs with fewer threads than asked, if it does. */
  threadsNote?: string;
}

const DEVICE_FAILURE = /backend not found|no available backend|webgpu is not supported|adapter|gpu device/i;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class OrtWebBackend implements Backend {
  readonly name = ORT_WEB_BACKEND;
  readonly devices = ORT_WEB_DEVICES;
  readonly defaultDevices: readonly string[] = ['wasm'];
  readonly #probes = new DeviceProbes(this);

  constructor(
    private readonly ort: OrtModule,
    private readonly platform: OrtWebPlatform,
    readonly environment: OrtWebEnvironment,
  ) {}

  probe(device: string): Promise<DeviceStatus> {
    return this.#probes.probe(device);
  }

  async createSession(model: ModelSource, options: SessionOptions): Promise<OrtWebSession> {
    const { device } = options;
    if (!this.devices.some((d) => d.name === device)) throw new DeviceUnavailableError(this.name, device, `ort-web has no device "${device}"`);
    if (device === 'webgpu') {
      const status = await this.platform.webgpuStatus();
      if (!status.available) throw new DeviceUnavailableError(this.name, device, status.reason);
    }
    const source = typeof model === 'string' ? model : (options.modelName ?? `<${model.byteLength} bytes>`);
    const bytes = typeof model === 'string' ? await this.platform.readModel(model) : model;
    if (bytes.byteLength === 0) throw new ModelLoadError(source, 'the model is empty (0 bytes)');

    const ortOptions: Ort.InferenceSession.SessionOptions = { executionProviders: [device], logSeverityLevel: 3 };
    if (options.graphOptimization) ortOptions.graphOptimizationLevel = options.graphOptimization;
    try {
      const session = await this.ort.InferenceSession.create(bytes, ortOptions);
      return new OrtWebSession(this.ort, session, this.name, device);
    } catch (error) {
      if (isPolyinferError(error)) throw error;
      const message = messageOf(error);
      if (device !== 'wasm' && DEVICE_FAILURE.test(message) && !/protobuf|model/i.test(message)) {
        throw new DeviceUnavailableError(this.name, device, message, error);
      }
      throw new ModelLoadError(source, message.replace(/^Can't create a session\. ERROR_CODE: \d+, ERROR_MESSAGE: /, ''), error);
    }
  }
}

/** Configures onnxruntime-web's (global) wasm environment once and wraps it as a polyinfer backend. */
export async function createOrtWebBackendWith(platform: OrtWebPlatform, load: () => Promise<OrtModule>, config: OrtWebBackendConfig = {}): Promise<OrtWebBackend> {
  const ort = await (config.loadRuntime ?? load)();
  const threads = platform.threadsAllowed();
  const wanted = config.numThreads ?? 2;
  const environment: OrtWebEnvironment = { platform: platform.name, numThreads: threads.allowed ? wanted : 1 };
  if (!threads.allowed && wanted > 1) environment.threadsNote = threads.reason;
  ort.env.wasm.numThreads = environment.numThreads;
  if (config.wasmPaths !== undefined) ort.env.wasm.wasmPaths = config.wasmPaths;
  ort.env.logLevel = 'error';
  return new OrtWebBackend(ort, platform, environment);
}
