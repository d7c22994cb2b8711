import type * as Ort from 'onnxruntime-web';
import type { BackendCapabilities, DeviceInfo, OpenRequest, Platform } from '@polyinfer/core';
import { BaseBackend } from '@polyinfer/core';
import { currentPlatform } from '@polyinfer/core/platform';
import { loadOrtRuntime, openOrtSession, OrtSession } from '@polyinfer/ort-common';

export const ORT_WEB_BACKEND = 'ort-web';
/** Below ort-node (native) and above tfjs when several backends are registered. */
export const ORT_WEB_PRIORITY = 50;

type OrtWebModule = typeof Ort;

export const ORT_WEB_DEVICES: readonly DeviceInfo[] = [
  { name: 'wasm', description: 'WebAssembly CPU execution provider (SIMD; threads where SharedArrayBuffer is allowed)', environments: ['node', 'browser'] },
  { name: 'webgpu', description: 'WebGPU execution provider (browsers with an adapter; Node with a WebGPU implementation)', environments: ['node', 'browser'] },
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
  loadRuntime?: () => Promise<OrtWebModule>;
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
  readonly capabilities: BackendCapabilities = { options: ['graphOptimization'], backendOptions: [], runPolicy: 'queued-per-session' };

  constructor(
    private readonly ort: OrtWebModule,
    platform: Platform,
    readonly environment: OrtWebEnvironment,
  ) {
    super(platform);
  }

  protected override async deviceUnavailableReason(device: string): Promise<string | undefined> {
    if (device !== 'webgpu') return undefined;
    const status = await this.platform.webgpuStatus();
    return status.available ? undefined : status.reason;
  }

  protected async openSession({ model, options, identity }: OpenRequest): Promise<OrtSession> {
    const ortOptions: Ort.InferenceSession.SessionOptions = { executionProviders: [identity.device], logSeverityLevel: 3 };
    if (options.graphOptimization) ortOptions.graphOptimizationLevel = options.graphOptimization;
    const session = await openOrtSession(this.ort, model, ortOptions, { ...identity, cpuDevice: 'wasm' });
    // onnxruntime-web refuses a run while another is in flight on the same session ("Session already started").
    return new OrtSession(identity, this.ort, session, { queued: true });
  }
}

async function loadOrtWeb(): Promise<OrtWebModule> {
  // Resolved per environment by onnxruntime-web's own export conditions (Node build vs browser bundle).
  const module = (await import('onnxruntime-web')) as OrtWebModule & { default?: OrtWebModule };
  return module.default ?? module;
}

/** Loads onnxruntime-web, configures its (global) wasm environment once, and wraps it as a polyinfer backend. */
export async function loadOrtWebBackend(config: OrtWebBackendConfig = {}): Promise<OrtWebBackend> {
  const ort = await loadOrtRuntime(ORT_WEB_BACKEND, 'onnxruntime-web', config.loadRuntime ?? loadOrtWeb);
  const platform = config.platform ?? currentPlatform;
  const threads = platform.threadsAllowed();
  const wanted = config.numThreads ?? 2;
  const environment: OrtWebEnvironment = { platform: platform.name, numThreads: threads.allowed ? wanted : 1 };
  if (!threads.allowed && wanted > 1) environment.threadsNote = threads.reason;
  ort.env.wasm.numThreads = environment.numThreads;
  if (config.wasmPaths !== undefined) ort.env.wasm.wasmPaths = config.wasmPaths;
  ort.env.logLevel = 'error';
  return new OrtWebBackend(ort, platform, environment);
}
