import type { SessionConfig } from '@polyinfer/core';

/** The backend flags every model command takes. */
export interface SessionFlags {
  backend?: string;
  /** Comma-separated fallback chain, e.g. "cuda,cpu". */
  device?: string;
  strict?: boolean;
  threads?: string;
}

/** The session config the flags ask for (`threads` already parsed). */
export function sessionConfigOf(flags: SessionFlags, threads: number | undefined): SessionConfig {
  return {
    ...(flags.backend ? { backend: flags.backend } : {}),
    ...(flags.device
      ? {
          devices: flags.device
            .split(',')
            .map((d) => d.trim())
            .filter(Boolean),
        }
      : {}),
    ...(flags.strict ? { strict: true } : {}),
    ...(threads !== undefined ? { options: { intraOpThreads: threads } } : {}),
  };
}
