import type { Session } from './session.js';

/** Model bytes, or (in Node) a path to an .onnx file. */
export type ModelSource = Uint8Array | string;

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

/** Options every backend understands; `backendOptions` carries what only one runtime knows. */
export interface SessionOptions {
  /** The device to run on; one of the backend's `devices`. */
  device: string;
  /** Threads inside one operator (0 or absent: the runtime's default). */
  intraOpThreads?: number;
  /** Threads across independent operators. */
  interOpThreads?: number;
  graphOptimization?: GraphOptimizationLevel;
  /** A name for error messages when the model is given as bytes. */
  modelName?: string;
  backendOptions?: Record<string, unknown>;
}

export interface DeviceInfo {
  name: string;
  /** Works, but not yet held to the same standard (e.g. onnxruntime-node's bundled WebGPU). */
  experimental?: boolean;
  description?: string;
}

export type DeviceStatus = { available: true } | { available: false; reason: string };

/**
 * A runtime (onnxruntime-node, onnxruntime-web, TensorFlow.js). A device is where it runs. `createSession` throws
 * `DeviceUnavailableError` when the device cannot be used here (the registry falls back from that), and
 * `ModelLoadError` / `UnsupportedOpError` when the model is at fault (no fallback helps then).
 */
export interface Backend {
  readonly name: string;
  readonly devices: readonly DeviceInfo[];
  /** The fallback chain used when a config names the backend but no devices. */
  readonly defaultDevices: readonly string[];
  /** Whether a device can run here, without loading a user model. Cached by the backend. */
  probe(device: string): Promise<DeviceStatus>;
  createSession(model: ModelSource, options: SessionOptions): Promise<Session>;
}

/** Loads a backend's runtime. Throwing (or rejecting) means the backend is unavailable here. */
export type BackendFactory = () => Backend | Promise<Backend>;
