import type { Provenance, Session } from './session.js';
import type { DataType } from './tensor.js';
import type { BackendOptionType } from './backend-option-types.js';

/** Model bytes, or a path (Node) or URL (browsers) to an .onnx file. */
export type ModelSource = Uint8Array | string;

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

/**
 * Options a backend may honour. Which ones it does is in its `capabilities`: asking for one it can't honour is an
 * `INVALID_CONFIG` error in strict mode and a warning in `session.provenance.ignoredOptions` otherwise.
 */
export interface SessionOptions {
  /** The device to run on; one of the backend's `devices`. */
  device: string;
  /** Threads inside one operator (0 or absent: the runtime's default). */
  intraOpThreads?: number;
  /** Threads across independent operators. */
  interOpThreads?: number;
  graphOptimization?: GraphOptimizationLevel;
  /** A name for error messages when the model is given as bytes (every backend honours it). */
  modelName?: string;
  /** What only one runtime knows; each key must be in the backend's `capabilities.backendOptions`. */
  backendOptions?: Record<string, unknown>;
  /**
   * A hint every backend takes: the inputs change shape on nearly every run (a detector fed each page at its own
   * size), so a runtime that keeps a memory plan per shape should not (onnxruntime-node's memory pattern).
   */
  shapesVary?: boolean;
}

/** The options of SessionOptions that a backend may or may not honour. */
export type TunableOption = 'intraOpThreads' | 'interOpThreads' | 'graphOptimization';

export const TUNABLE_OPTIONS: readonly TunableOption[] = ['intraOpThreads', 'interOpThreads', 'graphOptimization'];

/**
 * How a session takes concurrent `run` calls: all at once, one at a time per session, or one at a time across the
 * whole process (a runtime with one global context, such as tfjs).
 */
export type RunPolicy = 'concurrent' | 'queued-per-session' | 'queued-per-process';

/** What a backend declares it does, so that nothing it can't do is silently accepted. */
export interface BackendCapabilities {
  /** The SessionOptions it honours. */
  options: readonly TunableOption[];
  /** The keys of `backendOptions` it understands. */
  backendOptions: readonly string[];
  /** What each of those keys takes; a value of another type is refused (INVALID_CONFIG) before the runtime sees it. */
  backendOptionTypes?: Readonly<Record<string, BackendOptionType>>;
  runPolicy: RunPolicy;
  /** The tensor dtypes its sessions take and give; a model with an input or output of another is refused at load. */
  dtypes: readonly DataType[];
  /** Devices on which int8 (QDQ) models run on integer kernels, faster than float (onnxruntime's CPU); default none. */
  int8Devices?: readonly string[];
  /** Models are opened by name on another machine: a local file, or a local rewrite of it, never reaches them. */
  opensModelsByName?: boolean;
}

/**
 * Backend options by backend name, for a SessionConfig whose fallback chain crosses backends: each backend gets its
 * own. Backend packages add their entry with its type (declaration merging), e.g. `'ort-node'?: OrtNodeBackendOptions`.
 */
export interface BackendOptionsByName {
  [backend: string]: object | undefined;
}

export type Environment = 'node' | 'browser';

export interface DeviceInfo {
  name: string;
  /** Works, but not yet held to the same standard (e.g. onnxruntime-node's bundled WebGPU). */
  experimental?: boolean;
  description?: string;
  /** Where the device can exist at all (default: everywhere the backend runs). */
  environments?: readonly Environment[];
  /** Why it is too slow to benchmark every model on by default (the benchmark runs light models only there). */
  slow?: string;
}

export type DeviceStatus = { available: true } | { available: false; reason: string };

/** What the registry knows when it opens a session: how the device was chosen, and whether to be strict. */
export interface SessionContext {
  /** Devices asked for and skipped before this one (default: only this one asked for). */
  provenance?: Pick<Provenance, 'requested' | 'skipped'>;
  /** An option the backend can't honour is an error rather than a warning. */
  strict?: boolean;
}

/**
 * A runtime (onnxruntime-node, onnxruntime-web, TensorFlow.js, a remote server). A device is where it runs.
 * `createSession` throws `UnknownDeviceError` for a device it doesn't have, `DeviceUnavailableError` when the device
 * cannot be used here (the registry falls back from both), and `ModelLoadError` / `UnsupportedOpError` when the
 * model is at fault (no fallback helps then). Extend `BaseBackend` rather than implementing this by hand.
 */
export interface Backend {
  readonly name: string;
  readonly devices: readonly DeviceInfo[];
  /** The fallback chain used when a config names the backend but no devices. */
  readonly defaultDevices: readonly string[];
  readonly capabilities: BackendCapabilities;
  /** Whether a device can run here, without loading a user model. Cached by the backend. */
  probe(device: string): Promise<DeviceStatus>;
  createSession(model: ModelSource, options: SessionOptions, context?: SessionContext): Promise<Session>;
}

/** Loads a backend's runtime. Throwing (or rejecting) means the backend is unavailable here. */
export type BackendFactory = () => Backend | Promise<Backend>;
