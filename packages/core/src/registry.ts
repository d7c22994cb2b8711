import type {
  Backend,
  BackendCapabilities,
  BackendFactory,
  BackendOptionsByName,
  DeviceStatus,
  ModelSource,
  SessionOptions,
} from './backend.js';
import type { IgnoredOption, Session } from './session.js';
import type { DeviceAttempt } from './errors.js';
import {
  BackendUnavailableError,
  ConfigError,
  isPolyinferError,
  NoBackendAvailableError,
  reasonOf,
  UnknownBackendError,
  UnknownDeviceError,
} from './errors.js';

/** Which backend and devices to use. `devices` is a fallback chain, tried in order. */
export interface SessionConfig {
  /** A registered backend name; absent: every registered backend, highest priority first. */
  backend?: string;
  /** Devices to try in order; absent: the backend's `defaultDevices`. */
  devices?: readonly string[];
  /** Make a skipped device, or an option the backend can't honour, an error instead of a fallback or a warning. */
  strict?: boolean;
  options?: Omit<SessionOptions, 'device'>;
  /**
   * Each backend's own options, by backend name: a chain that falls back from one backend to another hands each its
   * own (merged over `options.backendOptions`, which go to every backend tried). A name that is not registered is an
   * error.
   */
  backendOptions?: BackendOptionsByName;
}

export interface RegistryOptions {
  /** Told about every device that was skipped, as it happens (the CLI prints these). */
  onFallback?: (attempt: DeviceAttempt) => void;
  /** Told about every option a session's backend does not honour (also in `session.provenance.ignoredOptions`). */
  onIgnoredOption?: (ignored: IgnoredOption & { backend: string; device: string }) => void;
}

export interface DeviceReport {
  backend: string;
  device: string;
  available: boolean;
  experimental: boolean;
  /** Why it is unavailable ('' when available). */
  reason: string;
}

export interface BackendReport {
  backend: string;
  priority: number;
  available: boolean;
  reason?: string;
  /** What the backend honours and how it takes concurrent runs (absent when it could not be loaded). */
  capabilities?: BackendCapabilities;
  devices: DeviceReport[];
}

interface Entry {
  name: string;
  priority: number;
  order: number;
  factory: BackendFactory;
  pending?: Promise<Backend>;
}

/**
 * Backends by name with priorities. Initialisation is lazy and shared by concurrent callers; a failed
 * initialisation is forgotten so that a later call tries again (a missing native module may be installed later,
 * a transient failure may pass).
 */
export class BackendRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #options: RegistryOptions;
  #order = 0;

  constructor(options: RegistryOptions = {}) {
    this.#options = options;
  }

  register(name: string, factory: BackendFactory, options: { priority?: number } = {}): void {
    this.#entries.set(name, { name, factory, priority: options.priority ?? 0, order: this.#order++ });
  }

  unregister(name: string): boolean {
    return this.#entries.delete(name);
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Registered names, highest priority first, then in registration order. */
  get names(): string[] {
    return [...this.#entries.values()].sort((a, b) => b.priority - a.priority || a.order - b.order).map((e) => e.name);
  }

  async get(name: string): Promise<Backend> {
    const entry = this.#entries.get(name);
    if (!entry) throw new UnknownBackendError(name, this.names);
    if (!entry.pending) {
      const pending = Promise.resolve()
        .then(() => entry.factory())
        .catch((error: unknown) => {
          if (entry.pending === pending) entry.pending = undefined;
          throw isPolyinferError(error, 'BACKEND_UNAVAILABLE')
            ? error
            : new BackendUnavailableError(name, reasonOf(error), error);
        });
      entry.pending = pending;
    }
    return entry.pending;
  }

  /**
   * Creates a session on the first backend/device of the config that works. Devices that are unavailable are
   * skipped and recorded in `session.provenance`; any other failure (a corrupt model, an unsupported op) is thrown
   * at once, since another device would not fix it.
   */
  async createSession(model: ModelSource, config: SessionConfig = {}): Promise<Session> {
    if (config.backend !== undefined && !this.#entries.has(config.backend)) {
      throw new UnknownBackendError(config.backend, this.names);
    }
    const unknownKeyed = Object.keys(config.backendOptions ?? {}).filter((name) => !this.#entries.has(name));
    if (unknownKeyed.length > 0) {
      throw new ConfigError(
        `backendOptions names ${unknownKeyed.map((n) => `"${n}"`).join(', ')}, not a registered backend (registered: ${this.names.join(', ')})`,
        { backends: unknownKeyed },
      );
    }
    const candidates = config.backend !== undefined ? [config.backend] : this.names;
    const skipped: DeviceAttempt[] = [];
    const requested: string[] = [];
    const skip = (backend: string, device: string, error: unknown): void => {
      if (config.strict) throw error;
      const attempt: DeviceAttempt = {
        backend,
        device,
        code: isPolyinferError(error) ? error.code : 'BACKEND_UNAVAILABLE',
        reason: reasonOf(error),
      };
      skipped.push(attempt);
      this.#options.onFallback?.(attempt);
    };

    for (const name of candidates) {
      let backend: Backend;
      try {
        backend = await this.get(name);
      } catch (error) {
        requested.push(`${name}:*`);
        skip(name, '*', error);
        continue;
      }
      for (const device of config.devices ?? backend.defaultDevices) {
        requested.push(`${name}:${device}`);
        try {
          const own = config.backendOptions?.[name];
          const options = own
            ? { ...config.options, backendOptions: { ...config.options?.backendOptions, ...own } }
            : config.options;
          const session = await backend.createSession(
            model,
            { ...options, device },
            { provenance: { requested: [...requested], skipped: [...skipped] }, strict: config.strict ?? false },
          );
          for (const ignored of session.provenance.ignoredOptions)
            this.#options.onIgnoredOption?.({ ...ignored, backend: name, device });
          return session;
        } catch (error) {
          // A named backend without the device is a typo in the config, not a fallback.
          if (isPolyinferError(error, 'UNKNOWN_DEVICE') && config.backend !== undefined) throw error;
          if (!isPolyinferError(error, 'DEVICE_UNAVAILABLE') && !isPolyinferError(error, 'UNKNOWN_DEVICE')) throw error;
          skip(name, device, error);
        }
      }
    }
    // Every backend lacked every device asked for: a typo in the config, not a machine without the device.
    if (skipped.length > 0 && skipped.every((a) => a.code === 'UNKNOWN_DEVICE')) {
      const known = await Promise.all(candidates.map(async (n) => (await this.get(n)).devices.map((d) => d.name)));
      const devices = [...new Set(skipped.map((a) => a.device))];
      throw new UnknownDeviceError(candidates.join(', '), devices.join(', '), [...new Set(known.flat())]);
    }
    throw new NoBackendAvailableError(skipped);
  }

  /** Every backend and device with whether it can run here and why not. */
  async report(): Promise<BackendReport[]> {
    const reports: BackendReport[] = [];
    for (const name of this.names) {
      const priority = this.#entries.get(name)?.priority ?? 0;
      let backend: Backend;
      try {
        backend = await this.get(name);
      } catch (error) {
        reports.push({ backend: name, priority, available: false, reason: reasonOf(error), devices: [] });
        continue;
      }
      const devices: DeviceReport[] = [];
      for (const info of backend.devices) {
        let status: DeviceStatus;
        try {
          status = await backend.probe(info.name);
        } catch (error) {
          status = { available: false, reason: reasonOf(error) };
        }
        devices.push({
          backend: name,
          device: info.name,
          available: status.available,
          experimental: info.experimental ?? false,
          reason: status.available ? '' : status.reason,
        });
      }
      reports.push({ backend: name, priority, available: true, capabilities: backend.capabilities, devices });
    }
    return reports;
  }
}

export function createRegistry(options?: RegistryOptions): BackendRegistry {
  return new BackendRegistry(options);
}

/** The registry that backends' auto-registering entry points add themselves to. Tests and apps may make their own. */
export const defaultRegistry: BackendRegistry = createRegistry();
