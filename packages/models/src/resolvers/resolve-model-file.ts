import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ModelFile } from './model-file.js';
import { IntegrityError, ModelNotFoundError } from './resolver-errors.js';

import type { ResolveOptions } from './resolve-options.js';

const verified = new Map<string, string>();

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks a file's sha256 once per process (re-checked if its size or mtime changes). */
async function verify(path: string, expected: string | undefined): Promise<void> {
  if (!expected) return;
  const info = await stat(path);
  const key = `${path}\0${info.size}\0${info.mtimeMs}`;
  if (verified.get(key) === expected) return;
  const got = await sha256OfFile(path);
  if (got !== expected.toLowerCase()) throw new IntegrityError(path, expected, got);
  verified.set(key, expected);
}

function packageRoot(entry: string, name: string): string {
  let resolved: string;
  try {
    resolved = createRequire(import.meta.url).resolve(entry);
  } catch (error) {
    throw new ModelNotFoundError(
      entry,
      `npm package ${name} is not installed (${(error as Error).message.split('\n')[0]}); install it with \`npm install ${name}\``,
    );
  }
  for (let dir = dirname(resolved); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name)
      return dir;
  }
  throw new ModelNotFoundError(entry, `no package.json of ${name} above ${resolved}`);
}

export function defaultCacheDir(): string {
  return process.env.POLYINFER_CACHE ?? join(homedir(), '.cache', 'polyinfer');
}

async function download(
  url: string,
  target: string,
  expected: string | undefined,
  fetcher: typeof fetch,
): Promise<void> {
  let response: Response;
  try {
    response = await fetcher(url);
  } catch (error) {
    throw new ModelNotFoundError(url, `download failed: ${(error as Error).message}`);
  }
  if (!response.ok) throw new ModelNotFoundError(url, `download failed: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const got = createHash('sha256').update(bytes).digest('hex');
  if (expected && got !== expected.toLowerCase()) throw new IntegrityError(url, expected, got);
  await mkdir(dirname(target), { recursive: true });
  // Written aside and renamed, so a crash never leaves a half file that looks cached.
  const partial = `${target}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, target).catch(async (error: unknown) => {
    await rm(partial, { force: true });
    throw error;
  });
}

/** A model file as a local path: from an npm package, a path, or the download cache; integrity checked. */
export async function resolveModelFile(file: ModelFile, options: ResolveOptions = {}): Promise<string> {
  const { source } = file;
  const check = options.verify === false ? undefined : file.sha256;
  let path: string;
  switch (source.kind) {
    case 'npm':
      path = join(packageRoot(source.entry, source.package), source.path);
      if (!existsSync(path)) throw new ModelNotFoundError(path, `${source.package} has no ${source.path}`);
      break;
    case 'path':
      path = source.path;
      if (!existsSync(path)) throw new ModelNotFoundError(path, 'no such file');
      break;
    case 'url': {
      const name = file.sha256 ?? createHash('sha256').update(source.url).digest('hex');
      path = join(options.cacheDir ?? defaultCacheDir(), 'models', name);
      if (existsSync(path)) {
        try {
          await verify(path, check);
          return path;
        } catch {
          await rm(path, { force: true }); // a corrupted cache entry is fetched again
        }
      }
      await download(source.url, path, check, options.fetch ?? fetch);
      return path;
    }
  }
  await verify(path, check);
  return path;
}
