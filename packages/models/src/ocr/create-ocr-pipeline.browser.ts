import { ModelLoadError } from '@polyinfer/core';
import type { ModelFile } from '../resolvers/model-file.js';
import { fetchModelCached } from '../web/cached-model-fetch.js';
import type { ManifestFile, OcrModelManifest } from '../web/ocr-model-manifest.js';
import { parseDictionary } from './dictionary.js';
import type { OcrConfig } from './ocr-config.js';
import { ocrModels } from './ocr-config.js';
import type { OcrPipeline } from './ocr-pipeline.js';
import { createOcrPipelineFrom } from './ocr-pipeline.js';

type Wanted = { det: ManifestFile; rec: ManifestFile; cls?: ManifestFile; dictionary: ManifestFile };

function descriptorFile(file: ModelFile, base: string): ManifestFile {
  const { source } = file;
  const url =
    source.kind === 'url'
      ? source.url
      : `${base.endsWith('/') ? base : `${base}/`}${source.path.split('/').pop() as string}`;
  return { url, sha256: file.sha256 ?? '', bytes: file.bytes ?? 0 };
}

async function manifestFiles(manifestUrl: string, withCls: boolean): Promise<Wanted> {
  const base = new URL(manifestUrl, globalThis.location?.href);
  let manifest: OcrModelManifest;
  try {
    const response = await fetch(base, { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    manifest = (await response.json()) as OcrModelManifest;
  } catch (error) {
    throw new ModelLoadError(
      base.href,
      `the OCR model manifest could not be read (${(error as Error).message})`,
      error,
    );
  }
  const resolve = (file: ManifestFile): ManifestFile => ({ ...file, url: new URL(file.url, base).href });
  if (withCls && !manifest.cls)
    throw new ModelLoadError(base.href, 'the manifest lists no angle classifier (set cls: false to run without one)');
  return {
    det: resolve(manifest.det),
    rec: resolve(manifest.rec),
    dictionary: resolve(manifest.dictionary),
    ...(withCls && manifest.cls ? { cls: resolve(manifest.cls) } : {}),
  };
}

/**
 * Builds the PP-OCR pipeline in a browser. Model files come from `modelManifestUrl` (verified against its sha256) or
 * the descriptors' files under `modelBaseUrl` (verified against theirs), read once from the network and then from
 * Cache Storage — a second visit downloads nothing.
 */
export async function createOcrPipeline(config: OcrConfig = {}): Promise<OcrPipeline> {
  const models = ocrModels(config);
  const base = config.modelBaseUrl ?? '/models/';
  const wanted: Wanted = config.modelManifestUrl
    ? await manifestFiles(config.modelManifestUrl, models.cls !== undefined)
    : {
        det: descriptorFile(models.det.model, base),
        rec: descriptorFile(models.rec.model, base),
        dictionary: descriptorFile(models.rec.assets?.dictionary as ModelFile, base),
        ...(models.cls ? { cls: descriptorFile(models.cls.model, base) } : {}),
      };
  const files = Object.values(wanted) as ManifestFile[];
  const loaded = new Map<string, number>();
  let cachedFiles = 0;
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const fetchOne = (file: ManifestFile): Promise<Uint8Array> =>
    fetchModelCached(file.url, {
      ...(file.sha256 ? { sha256: file.sha256 } : {}),
      ...(file.bytes ? { bytes: file.bytes } : {}),
      ...(config.modelCache !== undefined ? { cache: config.modelCache } : {}),
      onProgress: (p) => {
        loaded.set(file.url, p.loadedBytes);
        if (p.fromCache) cachedFiles += 1;
        const loadedBytes = [...loaded.values()].reduce((a, b) => a + b, 0);
        config.onModelProgress?.({
          loadedBytes,
          totalBytes: Math.max(totalBytes, loadedBytes),
          cachedFiles,
          files: files.length,
        });
      },
    });
  const [det, rec, cls, dictionaryBytes] = await Promise.all([
    fetchOne(wanted.det),
    fetchOne(wanted.rec),
    wanted.cls ? fetchOne(wanted.cls) : undefined,
    fetchOne(wanted.dictionary),
  ]);
  const dictionary = parseDictionary(new TextDecoder().decode(dictionaryBytes));
  return createOcrPipelineFrom(cls === undefined ? { det, rec, dictionary } : { det, rec, cls, dictionary }, config);
}
