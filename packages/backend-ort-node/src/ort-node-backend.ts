import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { BackendCapabilities, OpenRequest } from '@polyinfer/core';
import { BaseBackend } from '@polyinfer/core';
import { nodePlatform } from '@polyinfer/core/platform';
import { loadOrtRuntime, openOrtSession, ORT_DTYPES, OrtSession } from '@polyinfer/ort-common';
import type { OrtNodeDevice } from './execution-providers.js';
import { ORT_NODE_DEVICES, platformMissing, providerLibrariesFor, webgpuLoaderMissing } from './execution-providers.js';
import { ORT_NODE_BACKEND_OPTIONS, toOrtSessionOptions, ORT_NODE_BACKEND_OPTION_TYPES } from './session-options.js';

export const ORT_NODE_BACKEND = 'ort-node';
/** Native CPU/GPU runtime: preferred over wasm and tfjs when several backends are registered. */
export const ORT_NODE_PRIORITY = 100;

type OrtNodeModule = typeof Ort;

const GPU_HINT =
  'install the CUDA 12 providers with `ONNXRUNTIME_NODE_INSTALL=cuda12` and allow onnxruntime-node\'s install script (see the docs: guide/backends, "CUDA and TensorRT")';

export interface OrtNodeBackendConfig {
  /** Where onnxruntime-node's native libraries are (default: next to the installed package's binding). */
  binaryDir?: string;
  /** For tests: load another module in place of onnxruntime-node. */
  loadRuntime?: () => Promise<OrtNodeModule>;
}

async function loadOnnxRuntimeNode(): Promise<OrtNodeModule> {
  const module = (await import('onnxruntime-node')) as OrtNodeModule & { default?: OrtNodeModule };
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

export class OrtNodeBackend extends BaseBackend {
  readonly name = ORT_NODE_BACKEND;
  readonly devices = ORT_NODE_DEVICES;
  readonly defaultDevices: readonly string[] = ['cpu'];
  readonly capabilities: BackendCapabilities = {
    options: ['intraOpThreads', 'interOpThreads', 'graphOptimization'],
    backendOptions: ORT_NODE_BACKEND_OPTIONS,
    backendOptionTypes: ORT_NODE_BACKEND_OPTION_TYPES,
    runPolicy: 'concurrent',
    dtypes: ORT_DTYPES,
    // onnxruntime's CPU provider has integer kernels for QDQ models (MLAS); GPU providers mostly dequantise.
    int8Devices: ['cpu'],
  };
  // onnxruntime-node reads the file itself: a model with external data files beside it keeps working.
  protected override readonly modelAccess = 'path';

  constructor(
    private readonly ort: OrtNodeModule,
    private readonly binaryDir: string | undefined,
  ) {
    super(nodePlatform);
  }

  /** Why a device can't be used, found without touching onnxruntime (which logs loudly when a provider is missing). */
  protected override deviceUnavailableReason(device: string): string | undefined {
    const wrongPlatform = platformMissing(device);
    if (wrongPlatform) return wrongPlatform;
    const supported = this.ort.listSupportedBackends?.() ?? [];
    if (device !== 'cpu' && supported.length > 0 && !supported.some((b) => b.name === device)) {
      return `this onnxruntime-node build has no ${device} execution provider`;
    }
    if (device === 'webgpu') return webgpuLoaderMissing(existsSync);
    if (this.binaryDir === undefined) return undefined;
    const missing = providerLibrariesFor(device as OrtNodeDevice).filter(
      (lib) => !existsSync(join(this.binaryDir as string, lib)),
    );
    if (missing.length === 0) return undefined;
    return `onnxruntime ${device} provider libraries not installed (${missing.join(', ')} missing in ${this.binaryDir}); ${GPU_HINT}`;
  }

  protected async openSession({ model, options, identity }: OpenRequest): Promise<OrtSession> {
    const session = await openOrtSession(
      this.ort,
      model,
      toOrtSessionOptions(options) as Ort.InferenceSession.SessionOptions,
      { ...identity, cpuDevice: 'cpu', dtypes: ORT_DTYPES, readPath: (path) => this.platform.readBytes(path) },
    );
    return new OrtSession(identity, this.ort, session, { queued: false });
  }
}

/** Loads onnxruntime-node; a missing or broken install becomes BackendUnavailableError. */
export async function loadOrtNodeBackend(config: OrtNodeBackendConfig = {}): Promise<OrtNodeBackend> {
  const ort = await loadOrtRuntime(ORT_NODE_BACKEND, 'onnxruntime-node', config.loadRuntime ?? loadOnnxRuntimeNode);
  return new OrtNodeBackend(ort, config.binaryDir ?? defaultBinaryDir());
}
