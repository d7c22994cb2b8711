import type { Backend, DeviceInfo, Environment } from '@polyinfer/core';

/** What a backend package's entry gives once imported: its device table and its factory. */
export interface LoadedBackendPackage {
  devices: readonly DeviceInfo[];
  create(config?: unknown): Promise<Backend>;
}

export interface WasmSettings {
  threads?: number;
  /** A URL prefix the runtime's .wasm files are served under (pages). */
  paths?: string;
}

/** One backend polyinfer ships: everything the CLI, the benchmark, the conformance runner and the docs need to know. */
export interface CatalogueEntry {
  /** The name it registers under (SessionConfig.backend). */
  readonly name: string;
  readonly packageName: string;
  readonly summary: string;
  /** Higher is tried first when a config names no backend. */
  readonly priority: number;
  readonly environments: readonly Environment[];
  /** Runs models on another machine (an Open Inference Protocol server): the device is the protocol. */
  readonly remote?: boolean;
  /** Its Node entry can be imported in worker threads, each with a session of its own (OcrWorkerPool). */
  readonly threadWorkers?: boolean;
  /** The backend config for WebAssembly settings (thread count, where a page serves the runtime files), if it takes them. */
  wasmConfig?(settings: WasmSettings): unknown;
  /** Imports the package's side-effect-free entry (`<package>/base`) in the current environment. */
  load(): Promise<LoadedBackendPackage>;
}
