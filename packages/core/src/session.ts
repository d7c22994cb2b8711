import type { DataType, Feeds } from './tensor.js';
import type { DeviceAttempt } from './errors.js';
import { ConfigError, DisposedError } from './errors.js';
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
}

/** How a session came to run where it runs: what was asked for and what was skipped, and why. */
export interface Provenance {
  requested: readonly string[];
  skipped: readonly DeviceAttempt[];
}

export interface Session {
  readonly backend: string;
  /** The device this session actually runs on. */
  readonly device: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Set by the registry when it resolves a fallback chain. */
  provenance: Provenance;
  readonly disposed: boolean;
  run(feeds: Feeds, options?: RunOptions): Promise<Feeds>;
  dispose(): Promise<void>;
}

/**
 * What all backends share: feed validation (so every backend reports the same typed errors for a wrong name, shape
 * or dtype, before the native runtime sees it), the use-after-dispose guard, and idempotent dispose.
 */
export abstract class BaseSession implements Session {
  abstract readonly backend: string;
  abstract readonly device: string;
  abstract readonly inputs: readonly TensorInfo[];
  abstract readonly outputs: readonly TensorInfo[];
  provenance: Provenance = { requested: [], skipped: [] };
  #disposed = false;

  get disposed(): boolean {
    return this.#disposed;
  }

  async run(feeds: Feeds, options: RunOptions = {}): Promise<Feeds> {
    if (this.#disposed) throw new DisposedError(`Session (${this.backend}:${this.device})`);
    validateFeeds(this.inputs, feeds);
    if (options.outputNames) {
      const known = new Set(this.outputs.map((o) => o.name));
      const unknown = options.outputNames.filter((n) => !known.has(n));
      if (unknown.length) {
        throw new ConfigError(`Unknown output(s) ${unknown.join(', ')}; the model's outputs are ${[...known].join(', ')}`, {
          unknown,
        });
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
