import type { BackendRegistry, Environment } from '@polyinfer/core';
import type { CatalogueEntry, LoadedBackendPackage, WasmSettings } from './catalogue-entry.js';

// Node-only packages are imported through a variable: a browser bundle must not try to follow them.
const nodeOnly = (specifier: string): Promise<Record<string, unknown>> =>
  import(/* @vite-ignore */ specifier) as Promise<Record<string, unknown>>;

/** The package entry's device table and factory, found by the names every backend package exports. */
function packageParts(module: Record<string, unknown>, devices: string, create: string): LoadedBackendPackage {
  return {
    devices: module[devices] as LoadedBackendPackage['devices'],
    create: module[create] as LoadedBackendPackage['create'],
  };
}

/**
 * Every backend polyinfer ships, highest priority first. A fifth backend is its package plus one entry here: the CLI,
 * the benchmark, the conformance runner, the browser rig and the docs' tables all read this list.
 */
export const BACKEND_CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'ort-node',
    packageName: '@polyinfer/backend-ort-node',
    summary: 'onnxruntime-node: native CPU, CUDA, TensorRT (and experimental WebGPU)',
    priority: 100,
    environments: ['node'],
    threadWorkers: true,
    load: async () =>
      packageParts(await nodeOnly('@polyinfer/backend-ort-node/base'), 'ORT_NODE_DEVICES', 'createOrtNodeBackend'),
  },
  {
    name: 'ort-web',
    packageName: '@polyinfer/backend-ort-web',
    summary: 'onnxruntime-web: WebAssembly and WebGPU, in browsers and Node',
    priority: 50,
    environments: ['node', 'browser'],
    wasmConfig: ({ threads, paths }) => ({
      ...(threads !== undefined ? { numThreads: threads } : {}),
      ...(paths !== undefined ? { wasmPaths: paths } : {}),
    }),
    load: async () =>
      packageParts(await import('@polyinfer/backend-ort-web/base'), 'ORT_WEB_DEVICES', 'createOrtWebBackend'),
  },
  {
    name: 'tfjs',
    packageName: '@polyinfer/backend-tfjs',
    summary:
      "TensorFlow.js running the same ONNX files through polyinfer's importer: wasm, cpu, WebGL, WebGPU, tfjs-node",
    priority: 10,
    environments: ['node', 'browser'],
    load: async () => packageParts(await import('@polyinfer/backend-tfjs/base'), 'TFJS_DEVICES', 'createTfjsBackend'),
  },
  {
    name: 'remote',
    packageName: '@polyinfer/backend-remote',
    summary:
      'any Open Inference Protocol (KServe v2) server — Triton, KServe, MLServer, polyinfer serve — over REST or gRPC',
    priority: -100,
    environments: ['node', 'browser'],
    remote: true,
    load: async () =>
      packageParts(await import('@polyinfer/backend-remote/base'), 'REMOTE_DEVICES', 'createRemoteBackend'),
  },
];

/** The backend and device others are compared with: the benchmark's and conformance runner's reference. */
export const REFERENCE_TARGET = { backend: 'ort-node', device: 'cpu' } as const;

/** The catalogue's entry for a backend name; an unknown name is an error listing the known ones. */
export function catalogueEntry(name: string): CatalogueEntry {
  const entry = BACKEND_CATALOGUE.find((e) => e.name === name);
  if (!entry)
    throw new Error(`polyinfer has no backend "${name}" (it has: ${BACKEND_CATALOGUE.map((e) => e.name).join(', ')})`);
  return entry;
}

/** The backends whose Node entry can run in worker threads, highest priority first. */
export const THREAD_WORKER_BACKENDS: readonly CatalogueEntry[] = BACKEND_CATALOGUE.filter((e) => e.threadWorkers);

/**
 * The backend a pool of worker threads would run: the one named, if it can run there, or the first that can when none
 * is named; undefined when the named one cannot.
 */
export const threadWorkerBackend = (name: string | undefined): CatalogueEntry | undefined =>
  name === undefined ? THREAD_WORKER_BACKENDS[0] : THREAD_WORKER_BACKENDS.find((e) => e.name === name);

/** The backend that runs models on a server (`--remote`). */
export const remoteEntry = (): CatalogueEntry => BACKEND_CATALOGUE.find((e) => e.remote) as CatalogueEntry;

/** Each backend's config by name, for `registerCatalogue` (a backend not named gets its defaults). */
export type BackendConfigs = Partial<Record<string, unknown>>;

/** The configs that give every backend taking WebAssembly settings these ones. */
export function wasmConfigs(
  settings: WasmSettings,
  catalogue: readonly CatalogueEntry[] = BACKEND_CATALOGUE,
): BackendConfigs {
  return Object.fromEntries(catalogue.flatMap((e) => (e.wasmConfig ? [[e.name, e.wasmConfig(settings)]] : [])));
}

/**
 * Registers every catalogue backend that runs in `environment`, lazily: a package is imported when a session first
 * asks for it (or `registry.report()` lists it), so a missing runtime costs nothing until then and says why.
 */
export function registerCatalogue(
  registry: BackendRegistry,
  environment: Environment,
  configs: BackendConfigs = {},
  catalogue: readonly CatalogueEntry[] = BACKEND_CATALOGUE,
): BackendRegistry {
  for (const entry of catalogue) {
    if (!entry.environments.includes(environment)) continue;
    registry.register(entry.name, async () => (await entry.load()).create(configs[entry.name]), {
      priority: entry.priority,
    });
  }
  return registry;
}

export interface CatalogueTarget {
  backend: string;
  device: string;
  /** The device's own word that it is slow (DeviceInfo.slow). */
  slow?: string;
}

/** Every backend:device the catalogue has in an environment (whether or not this machine can run it). */
export async function catalogueTargets(
  environment: Environment,
  catalogue: readonly CatalogueEntry[] = BACKEND_CATALOGUE,
): Promise<CatalogueTarget[]> {
  const targets: CatalogueTarget[] = [];
  for (const entry of catalogue) {
    if (!entry.environments.includes(environment)) continue;
    const { devices } = await entry.load();
    for (const device of devices) {
      if ((device.environments ?? entry.environments).includes(environment))
        targets.push({ backend: entry.name, device: device.name, ...(device.slow ? { slow: device.slow } : {}) });
    }
  }
  return targets;
}

/**
 * The module a worker thread imports to register a backend with its default registry (the package's main entry),
 * resolved from here, where every backend package is installed.
 */
export const workerModuleOf = (entry: CatalogueEntry): string => import.meta.resolve(entry.packageName);
