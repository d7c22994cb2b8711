import { isIP } from 'node:net';

/** A host name or address that only this machine answers to. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

/** The host part of a Host header (no port; IPv6 keeps its brackets off). */
export function hostOf(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']'));
  return value.replace(/:\d+$/, '');
}

export interface HostPolicyOptions {
  /** The address the server listens on. */
  bind: string;
  /** Host names (or addresses) accepted besides loopback ones; `*` accepts any. */
  allowedHosts: readonly string[];
  /** Browser origins allowed to call (CORS); `*` allows any. */
  corsOrigins: readonly string[];
}

/**
 * Which requests a server takes by Host and Origin. Bound to loopback, it answers only to loopback names unless told
 * others (a DNS-rebinding page reaches 127.0.0.1 under its own name); bound elsewhere, any Host unless a list is
 * given. A request with an Origin (a browser's) is taken only from a listed origin: a web page cannot post to it.
 */
export class HostPolicy {
  readonly #restricted: boolean;
  readonly #hosts: Set<string>;
  readonly #origins: Set<string>;

  constructor(readonly options: HostPolicyOptions) {
    this.#hosts = new Set(options.allowedHosts.map((h) => hostOf(h)));
    this.#restricted = isLoopbackHost(options.bind) || this.#hosts.size > 0;
    this.#origins = new Set(options.corsOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  }

  /** Undefined if the Host is acceptable, else why not. */
  hostProblem(header: string | undefined): string | undefined {
    if (!this.#restricted || this.#hosts.has('*')) return undefined;
    if (header === undefined || header === '') return 'a request needs a Host header';
    const host = hostOf(header);
    if (isLoopbackHost(host) || this.#hosts.has(host)) return undefined;
    return `Host "${header.slice(0, 100)}" is not a name this server answers to (loopback names${this.#hosts.size > 0 ? `, ${[...this.#hosts].join(', ')}` : ''}; --allowed-hosts adds others)`;
  }

  originAllowed(origin: string): boolean {
    return this.#origins.has('*') || this.#origins.has(origin.replace(/\/+$/, '').toLowerCase());
  }

  get corsEnabled(): boolean {
    return this.#origins.size > 0;
  }
}
