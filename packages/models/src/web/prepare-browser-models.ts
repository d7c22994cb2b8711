import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ModelFile } from '../resolvers/model-file.js';
import { resolveModelFile, sha256OfFile } from '../resolvers/resolve-model-file.js';
import { loadDictionary } from '../ocr/load-dictionary.js';
import type { OcrConfig } from '../ocr/ocr-config.js';
import { ocrModels } from '../ocr/ocr-config.js';
import { prepareOcrVariant } from '../ocr/ocr-model-variants.js';
import type { ManifestFile, OcrModelManifest } from './ocr-model-manifest.js';

export interface BrowserOcrModels {
  manifest: OcrModelManifest;
  /** File name (as the manifest's URLs give it) → local path: what a server maps under the manifest's folder. */
  files: Record<string, string>;
}

/**
 * Node side of browser OCR: prepares the model files a page should fetch (by default the simplified variant — the
 * same exact rewrites Node runs, ~30 % fewer nodes) and the manifest that lists them with their sha256.
 */
export async function prepareBrowserOcrModels(
  config: Pick<OcrConfig, 'det' | 'rec' | 'cls' | 'resolve' | 'onPrepareModel'> & {
    variant?: 'original' | 'simplified';
  } = {},
): Promise<BrowserOcrModels> {
  const variant = config.variant ?? 'simplified';
  const models = ocrModels(config);
  const dictionaryFile = models.rec.assets?.dictionary as ModelFile;
  const [det, rec, cls, dictionaryPath] = await Promise.all([
    resolveModelFile(models.det.model, config.resolve),
    resolveModelFile(models.rec.model, config.resolve),
    models.cls ? resolveModelFile(models.cls.model, config.resolve) : undefined,
    resolveModelFile(dictionaryFile, config.resolve),
  ]);
  const dictionary = await loadDictionary(dictionaryPath);
  const sources = await prepareOcrVariant(
    cls === undefined ? { det, rec, dictionary } : { det, rec, cls, dictionary },
    { ...config, modelVariant: variant },
  );
  const files: Record<string, string> = {};
  const entry = async (path: string): Promise<ManifestFile> => {
    const name = basename(path);
    files[name] = path;
    return { url: name, sha256: await sha256OfFile(path), bytes: (await stat(path)).size };
  };
  const manifest: OcrModelManifest = {
    variant,
    det: await entry(sources.det as string),
    rec: await entry(sources.rec as string),
    dictionary: await entry(dictionaryPath),
  };
  if (sources.cls !== undefined) manifest.cls = await entry(sources.cls as string);
  return { manifest, files };
}
