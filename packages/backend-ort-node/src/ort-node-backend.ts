import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { Backend, DeviceStatus, ModelSource, SessionOptions } from '@polyinfer/core';
import { BackendUnavailableError, DeviceProbes, DeviceUnavailableError, ModelLoadError } from '@polyinfer/core';

import type { OrtNodeDevice } from './execution-providers.js';
import { isDeviceFailure, ORT_NODE_DEVICES, providerLibrariesFor } from './execution-providers.js';
import { toOrtSessionOptions } from './session-options.js';
import { OrtNodeSession } from './ort-node-session.js';

export const ORT_NODE_BACKEND = 'ort-node';

type OrtModule = typeof Ort;

const GPU_HINT =
  'install the CUDA 12 providers with `ONNXRUNTIME_NODE_INSTALL=cuda12` and allow onnxruntime-node\'s install script (see the README, "CUDA and TensorRT")';

export interface OrtNodeBackendConfig {
  /** Where onnxruntime-node's native libraries are (default: next to the installed package's binding). */
  binaryDir?: string;
  /** For tests: load another module in place of onnxruntime-node. */
  loadRuntime?: () => Promise<OrtModule>;
}

async function loadOnnxRuntimeNode(): Promise<OrtModule> {
  const module = (await import('onnxruntime-node')) as OrtModule & { default?: OrtModule };
  return module.default ?? module;
}

function defaultBinaryDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
    return join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // onnxruntime prefixes its checks with source location and the failed expression; the sentence after is the reason.
  return message.replace(/^\/onnxruntime_src\/[\s\S]*? was false\. /, '');
}

export class OrtNodeBackend implements Backend {
  readonly name = ORT_NODE_BACKEND;
  readonly devices = ORT_NODE_DEVICES;
  readonly defaultDevices: readonly string[] = ['cpu'];
  readonly #ort: OrtModule;
  readonly #binaryDir: string | undefined;
  readonly #probes = new DeviceProbes(this);

  constructor(ort: OrtModule, binaryDir: string | undefined) {
    this.#ort = ort;
    this.#binaryDir = binaryDir;
  }

  /** Why a device can't be used, found without touching onnxruntime (which logs loudly when a provider is missing). */
  missingRequirement(device: OrtNodeDevice): string | undefined {
    const supported = this.#ort.listSupportedBackends?.() ?? [];
    if (device !== 'cpu' && supported.length > 0 && !supported.some((b) => b.name === device)) {
      return `this onnxruntime-node build has no ${device} execution provider`;
    }
    if (this.#binaryDir === undefined) return undefined;
    const missing = providerLibrariesFor(device).filter((lib) => !existsSync(join(this.#binaryDir as string, lib)));
    if (missing.length === 0) return undefined;
    return `onnxruntime ${device} provider libraries not installed (${missing.join(', ')} missing in ${this.#binaryDir}); ${GPU_HINT}`;
  }

  probe(device: string): Promise<DeviceStatus> {
    return this.#probes.probe(device);
  }

  async createSession(model: ModelSource, options: SessionOptions): Promise<OrtNodeSession> {
    const device = options.device as OrtNodeDevice;
    if (!this.devices.some((d) => d.name === device)) {
      throw new DeviceUnavailableError(this.name, device, `ort-node has no device "${device}"`);
    }
    const missing = this.missingRequirement(device);
    if (missing) throw new DeviceUnavailableError(this.name, device, missing);

    const source = typeof model === 'string' ? model : (options.modelName ?? `<${model.byteLength} bytes>`);
    if (typeof model === 'string' && !existsSync(model)) throw new ModelLoadError(source, 'file not found');
    if (typeof model !== 'string' && model.byteLength === 0) throw new ModelLoadError(source, 'the model is empty (0 bytes)');

    let session: Ort.InferenceSession;
    try {
      const ortOptions = toOrtSessionOptions(options) as Ort.InferenceSession.SessionOptions;
      session =
        typeof model === 'string'
          ? await this.#ort.InferenceSession.create(model, ortOptions)
          : await this.#ort.InferenceSession.create(model, ortOptions);
    } catch (error) {
      const message = messageOf(error);
      if (device !== 'cpu' && isDeviceFailure(message)) throw new DeviceUnavailableError(this.name, device, message, error);
      throw new ModelLoadError(source, message, error);
    }
    return new OrtNodeSession(this.#ort, session, this.name, device);
  }
}

/** Loads onnxruntime-node; a missing or broken install becomes BackendUnavailableError. */
export async function createOrtNodeBackend(config: OrtNodeBackendConfig = {}): Promise<OrtNodeBackend> {
  let ort: OrtModule;
  try {
    ort = await (config.loadRuntime ?? loadOnnxRuntimeNode)();
  } catch (error) {
    throw new BackendUnavailableError(ORT_NODE_BACKEND, `onnxruntime-node could not be loaded: ${messageOf(error)}`, error);
  }
  return new OrtNodeBackend(ort, config.binaryDir ?? defaultBinaryDir());
}
