import { ModelLoadError } from '../errors.js';

/** GET a URL's bytes; network failures and HTTP errors become ModelLoadError naming the URL. */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ModelLoadError(url, `fetch failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  if (!response.ok)
    throw new ModelLoadError(url, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  return new Uint8Array(await response.arrayBuffer());
}
