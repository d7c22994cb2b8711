import type { DataType, Feeds } from './tensor.js';
import type { DeviceAttempt } from './errors.js';
import { CancelledError, ConfigError, DisposedError } from './errors.js';
import { validateFeeds } from './validate-feeds.js';

/** A model input or output. Symbolic or unknown dims are strings (e.g. "N") or -1. */
export interface TensorInfo {
  name: string;
  dtype: DataType;
  dims: readonly (number | string)[];
}

export interface RunOptions {
  /** Only compute these outputs (default: all). */
  outputNames?: readonly string[];
  /**
   * Cancels the run: a run not yet started is refused with CANCELLED; a remote backend also abandons a request in
   * flight. (An in-process runtime cannot stop a kernel that is running: that run completes.)
   */
  signal?: AbortSignal;
}

/** An option the session was asked for and its backend does not honour. */
export interface IgnoredOption {
  option: string;
  reason: string;
}

/** How a session came to run where it runs: what was asked for, what was skipped and why, what it ignored. */
export interface Provenance {
  /** "backend:device" in the order tried. */
  requested: readonly string[];
  skipped: readonly DeviceAttempt[];
  ignoredOptions: readonly IgnoredOption[];
}

/** What every session is told at creation: who runs it, where, and how it got there. */
export interface SessionIdentity {
  backend: string;
  device: string;
  provenance: Provenance;
}

export interface Session {
  readonly backend: string;
  /** The device this session actually runs on. */
  readonly device: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly provenance: Provenance;
  readonly disposed: boolean;
  run(feeds: Feeds, options?: RunOptions): Promise<Feeds>;
  dispose(): Promise<void>;
}

/**
 * What all backends share: feed validation (so every backend reports the same typed errors for a wrong name, shape
 * or dtype, before the native runtime sees it), the use-after-dispose guard, and idempotent dispose.
 */
export abstract class BaseSession implements Session {
  readonly backend: string;
  readonly device: string;
  readonly provenance: Provenance;
  abstract readonly inputs: readonly TensorInfo[];
  abstract readonly outputs: readonly TensorInfo[];
  #disposed = false;

  constructor(identity: SessionIdentity) {
    this.backend = identity.backend;
    this.device = identity.device;
    this.provenance = identity.provenance;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  async run(feeds: Feeds, options: RunOptions = {}): Promise<Feeds> {
    if (this.#disposed) throw new DisposedError(`Session (${this.backend}:${this.device})`);
    if (options.signal?.aborted) throw new CancelledError(`A run on ${this.backend}:${this.device}`);
    validateFeeds(this.inputs, feeds);
    if (options.outputNames) {
      const known = new Set(this.outputs.map((o) => o.name));
      const unknown = options.outputNames.filter((n) => !known.has(n));
      if (unknown.length) {
        throw new ConfigError(
          `Unknown output(s) ${unknown.join(', ')}; the model's outputs are ${[...known].join(', ')}`,
          {
            unknown,
          },
        );
      }
    }
    return this.runValidated(feeds, options);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.release();
  }

  protected abstract runValidated(feeds: Feeds, options: RunOptions): Promise<Feeds>;
  protected abstract release(): Promise<void>;
}
