import { ModelLoadError } from '@polyinfer/core';
import { IntegrityError } from '../resolvers/resolver-errors.js';

/** The default Cache Storage bucket model files are kept in. */
export const MODEL_CACHE_NAME = 'polyinfer-models';

export interface ModelFetchProgress {
  /** The file's URL. */
  url: string;
  loadedBytes: number;
  /** From the manifest or Content-Length; 0 when neither says. */
  totalBytes: number;
  /** True when the bytes came from the cache (no download). */
  fromCache: boolean;
}

export interface CachedFetchOptions {
  /** Hex sha256 the bytes must have: checked after a download and on every read from the cache. */
  sha256?: string;
  /** Expected size, for progress before the response's headers say. */
  bytes?: number;
  /** Cache Storage bucket (default MODEL_CACHE_NAME); `false` fetches every time. */
  cache?: string | false;
  onProgress?: (progress: ModelFetchProgress) => void;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function download(url: string, options: CachedFetchOptions): Promise<Uint8Array> {
  let response: Response;
  try {
    // The Cache API is the cache: the HTTP cache would only keep a second copy.
    response = await fetch(url, { cache: 'no-store' });
  } catch (error) {
    throw new ModelLoadError(url, `fetch failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  if (!response.ok)
    throw new ModelLoadError(url, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  const totalBytes = options.bytes ?? Number(response.headers.get('content-length') ?? 0);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loadedBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loadedBytes += value.byteLength;
    options.onProgress?.({ url, loadedBytes, totalBytes, fromCache: false });
  }
  const bytes = new Uint8Array(loadedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A model file's bytes, downloaded once and kept in Cache Storage: later calls (and later visits) read the cache.
 * With `sha256`, a download that does not match throws IntegrityError and is not cached; a cached copy that does not
 * match (a changed file behind the same URL, a damaged store) is dropped and downloaded again.
 */
export async function fetchModelCached(url: string, options: CachedFetchOptions = {}): Promise<Uint8Array> {
  const absolute = new URL(url, globalThis.location?.href).href;
  const cacheName = options.cache ?? MODEL_CACHE_NAME;
  const store = cacheName !== false && typeof caches !== 'undefined' ? await caches.open(cacheName) : undefined;
  const cached = await store?.match(absolute);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    if (!options.sha256 || (await sha256Hex(bytes)) === options.sha256) {
      options.onProgress?.({
        url: absolute,
        loadedBytes: bytes.byteLength,
        totalBytes: bytes.byteLength,
        fromCache: true,
      });
      return bytes;
    }
    await store?.delete(absolute);
  }
  const bytes = await download(absolute, options);
  if (options.sha256) {
    const got = await sha256Hex(bytes);
    if (got !== options.sha256) throw new IntegrityError(absolute, options.sha256, got);
  }
  await store?.put(
    absolute,
    new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) },
    }),
  );
  return bytes;
}
