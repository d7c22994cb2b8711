import type * as Ort from 'onnxruntime-web';
import type { BackendCapabilities, DeviceInfo, OpenRequest, Platform } from '@polyinfer/core';
import { BaseBackend, UnsupportedOpError } from '@polyinfer/core';
import { currentPlatform } from '@polyinfer/core/platform';
import { loadOrtRuntime, openOrtSession, ORT_DTYPES, OrtSession, readModelSignature } from '@polyinfer/ort-common';
import { webgpuWrongForms } from './webgpu-wrong-forms.js';

export const ORT_WEB_BACKEND = 'ort-web';
/** Below ort-node (native) and above tfjs when several backends are registered. */
export const ORT_WEB_PRIORITY = 50;

type OrtWebModule = typeof Ort;

/**
 * Which onnxruntime-web build a device runs on in a browser. Its default bundle is the JSEP build (wasm + WebGPU
 * kernels, Asyncify-instrumented): CPU kernels run ~1.6× slower there than in the plain wasm build, so the wasm device
 * loads `onnxruntime-web/wasm` and only WebGPU loads the JSEP one. Node has one build (plain wasm) for both.
 */
export type OrtWebBuild = 'wasm' | 'webgpu';

export const ORT_WEB_DEVICES: readonly DeviceInfo[] = [
  {
    name: 'wasm',
    description: 'WebAssembly CPU execution provider (SIMD; threads where SharedArrayBuffer is allowed)',
    environments: ['node', 'browser'],
  },
  {
    name: 'webgpu',
    description: 'WebGPU execution provider (browsers with an adapter; Node with a WebGPU implementation)',
    environments: ['node', 'browser'],
  },
  {
    name: 'webnn',
    description: 'WebNN execution provider (browsers that expose navigator.ml: Chromium and Edge with WebNN on)',
    environments: ['browser'],
  },
];

/** Why WebNN cannot run here (undefined where `navigator.ml` exists). */
export function webnnMissing(
  scope: { navigator?: unknown } = globalThis,
  platform: 'node' | 'browser' = 'browser',
): string | undefined {
  if (platform === 'node') return 'WebNN exists only in browsers (navigator.ml); in Node use ort-node or ort-web wasm';
  const ml = (scope.navigator as { ml?: unknown } | undefined)?.ml;
  return ml
    ? undefined
    : 'this browser exposes no WebNN (navigator.ml is absent): Chromium and Edge have it behind the "Enables WebNN API" flag, or on by default in newer releases';
}

export interface OrtWebBackendConfig {
  /**
   * wasm threads. onnxruntime-web's environment is global: the first backend created in a realm sets it.
   * Default: 2 where threads are allowed (its own default there is 1 on small machines), else 1.
   */
  numThreads?: number;
  /** Where the .wasm/.mjs runtime files are served from (a URL prefix or a file → URL map). */
  wasmPaths?: string | Record<string, string>;
  /** For tests: load another module in place of onnxruntime-web (the build a browser would load for the device). */
  loadRuntime?: (build: OrtWebBuild) => Promise<OrtWebModule>;
  /** For tests: another platform than the running one. */
  platform?: Platform;
}

export interface OrtWebEnvironment {
  platform: 'node' | 'browser';
  numThreads: number;
  /** Why wasm runs with fewer threads than asked, if it does. */
  threadsNote?: string;
}

export class OrtWebBackend extends BaseBackend {
  readonly name = ORT_WEB_BACKEND;
  readonly devices = ORT_WEB_DEVICES;
  readonly defaultDevices: readonly string[] = ['wasm'];
  // Threads are one global setting of onnxruntime-web (OrtWebBackendConfig.numThreads), not a session option.
  readonly capabilities: BackendCapabilities = {
    options: ['graphOptimization'],
    backendOptions: [],
    runPolicy: 'queued-per-session',
    dtypes: ORT_DTYPES,
  };

  private readonly runtimes = new Map<OrtWebBuild, Promise<OrtWebModule>>();

  constructor(
    private readonly loadBuild: (build: OrtWebBuild) => Promise<OrtWebModule>,
    platform: Platform,
    readonly environment: OrtWebEnvironment,
  ) {
    super(platform);
  }

  /** The build a device runs on (see OrtWebBuild). */
  private runtimeFor(device: string): Promise<OrtWebModule> {
    // onnxruntime-web's full build carries both the WebGPU and the WebNN providers.
    return this.runtime(
      (device === 'webgpu' || device === 'webnn') && this.platform.name === 'browser' ? 'webgpu' : 'wasm',
    );
  }

  /** A build, loaded once and configured with the backend's environment. */
  runtime(build: OrtWebBuild): Promise<OrtWebModule> {
    let runtime = this.runtimes.get(build);
    if (!runtime) {
      runtime = this.loadBuild(build);
      runtime.catch(() => this.runtimes.delete(build));
      this.runtimes.set(build, runtime);
    }
    return runtime;
  }

  protected override async deviceUnavailableReason(device: string): Promise<string | undefined> {
    if (device === 'webnn') return webnnMissing(globalThis, this.platform.name);
    if (device !== 'webgpu') return undefined;
    const status = await this.platform.webgpuStatus();
    return status.available ? undefined : status.reason;
  }

  protected async openSession({ model, options, identity }: OpenRequest): Promise<OrtSession> {
    const ortOptions: Ort.InferenceSession.SessionOptions = {
      executionProviders: [identity.device],
      logSeverityLevel: 3,
    };
    if (options.graphOptimization) ortOptions.graphOptimizationLevel = options.graphOptimization;
    // A node WebGPU would compute wrongly is refused by name before onnxruntime sees the model (see webgpuWrongForms).
    if (identity.device === 'webgpu' && model.kind !== 'reference') {
      const signature = readModelSignature(
        model.kind === 'path' ? await this.platform.readBytes(model.path).catch(() => new Uint8Array(0)) : model.bytes,
      );
      const wrong = signature ? webgpuWrongForms(signature) : [];
      if (wrong.length > 0) throw new UnsupportedOpError(identity.backend, wrong);
    }
    const ort = await this.runtimeFor(identity.device);
    const session = await openOrtSession(ort, model, ortOptions, {
      ...identity,
      cpuDevice: 'wasm',
      dtypes: ORT_DTYPES,
      readPath: (path) => this.platform.readBytes(path),
    });
    // onnxruntime-web refuses a run while another is in flight on the same session ("Session already started").
    return new OrtSession(identity, ort, session, { queued: true });
  }
}

type OrtWebImport = OrtWebModule & { default?: OrtWebModule };

async function importBuild(build: OrtWebBuild, platform: Platform): Promise<OrtWebModule> {
  // Node: onnxruntime-web's export conditions pick its Node build (plain wasm) for both devices.
  const module: OrtWebImport =
    build === 'wasm' && platform.name === 'browser'
      ? ((await import('onnxruntime-web/wasm')) as OrtWebImport)
      : ((await import('onnxruntime-web')) as OrtWebImport);
  return module.default ?? module;
}

/**
 * Wraps onnxruntime-web as a polyinfer backend. The build a device needs is loaded when its first session opens and
 * its (global) wasm environment configured then; the default build is loaded here, so a missing package fails now.
 */
export async function loadOrtWebBackend(config: OrtWebBackendConfig = {}): Promise<OrtWebBackend> {
  const platform = config.platform ?? currentPlatform;
  const threads = platform.threadsAllowed();
  const wanted = config.numThreads ?? 2;
  const environment: OrtWebEnvironment = { platform: platform.name, numThreads: threads.allowed ? wanted : 1 };
  if (!threads.allowed && wanted > 1) environment.threadsNote = threads.reason;
  const load = async (build: OrtWebBuild): Promise<OrtWebModule> => {
    const ort = await loadOrtRuntime(ORT_WEB_BACKEND, 'onnxruntime-web', () =>
      config.loadRuntime ? config.loadRuntime(build) : importBuild(build, platform),
    );
    ort.env.wasm.numThreads = environment.numThreads;
    if (config.wasmPaths !== undefined) ort.env.wasm.wasmPaths = config.wasmPaths;
    ort.env.logLevel = 'error';
    return ort;
  };
  const backend = new OrtWebBackend(load, platform, environment);
  await backend.runtime('wasm');
  return backend;
}
