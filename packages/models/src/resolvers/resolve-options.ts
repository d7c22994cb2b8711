export interface ResolveOptions {
  /** Where downloaded files are kept. Default: $POLYINFER_CACHE or ~/.cache/polyinfer. */
  cacheDir?: string;
  /** For tests and custom transports. Default: global fetch. */
  fetch?: typeof fetch;
  /** Check sha256 (default true). */
  verify?: boolean;
}
