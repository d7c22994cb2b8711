import type { BackendRegistry, ModelSource, SessionConfig } from '@polyinfer/core';
import { ConfigError } from '@polyinfer/core';
import type { DecodeOptions } from '@polyinfer/preprocess/portable';
import type { DbOptions } from '../decoders/db-postprocess.js';
import type { ModelDescriptor } from '../descriptors/model-descriptor.js';
import { PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_REC } from '../descriptors/ppocr-v4.js';
import type { ResolveOptions } from '../resolvers/resolve-options.js';
import type { OcrModelVariant } from './ocr-model-variant.js';
import type { OcrLayout } from './ocr-result.js';

/** One stage's backend choice (overrides the pipeline-wide one) and, optionally, another model. */
export interface OcrStageConfig extends SessionConfig {
  model?: ModelDescriptor;
}

/** Where the stages run: the pipeline-wide backend choice, the registry, and each stage's own choice or model. */
export interface OcrSessionPart extends SessionConfig {
  registry?: BackendRegistry;
  det?: OcrStageConfig;
  /** `false` skips the angle classifier (faster, for text known to be upright). */
  cls?: OcrStageConfig | false;
  rec?: OcrStageConfig;
}

/** The algorithm's settings, stage by stage (defaults: OCR_DEFAULTS), and how images are decoded. */
export interface OcrAlgorithmPart {
  detection?: Partial<DbOptions> & { limitSideLen?: number; limitType?: 'max' | 'min' };
  /** `voteLines`: see OCR_DEFAULTS.classification.voteLines (0: classify every line). */
  classification?: { threshold?: number; batchSize?: number; voteLines?: number };
  recognition?: {
    batchSize?: number;
    maxBatchWidth?: number;
    concurrency?: number;
    dropScore?: number;
    minWidth?: number;
    /** See OCR_DEFAULTS.recognition.widthScale. */
    widthScale?: number;
    lineMargin?: number;
    /** See CtcOptions.spaceThreshold. */
    spaceThreshold?: number;
  };
  decode?: DecodeOptions;
  /** How the page's text is assembled into lines and blocks (default 'auto'); see OcrLayout. */
  layout?: OcrLayout;
}

/** What only Node reads: which form of the model files to open, and where they come from. */
export interface OcrNodePart {
  /** Which form of the model files to open (default 'auto'); see OcrModelVariant. */
  modelVariant?: OcrModelVariant;
  /** Told before a model variant is prepared (once per file: int8 takes seconds; later runs read the cache). */
  onPrepareModel?: (what: { file: string; variant: string; path: string }) => void;
  /** How model files are resolved (cache folder, fetch). */
  resolve?: ResolveOptions;
}

/** What only browsers read: where the model files are served and how they are kept. */
export interface OcrBrowserPart {
  /** Where the model files are served (file names as in the descriptors). Default "/models/". */
  modelBaseUrl?: string;
  /**
   * A manifest (OcrModelManifest, e.g. "/models/ocr-models.json") naming the files to fetch and their sha256, in place
   * of the descriptors' files under `modelBaseUrl`.
   */
  modelManifestUrl?: string;
  /** The Cache Storage bucket model files are kept in (default MODEL_CACHE_NAME); `false` fetches each time. */
  modelCache?: string | false;
  /** Download progress of the model files, summed over them. */
  onModelProgress?: (progress: OcrModelProgress) => void;
}

/** The OCR pipeline's config, in four parts (each a type of its own); every field is optional. Defaults: OCR_DEFAULTS. */
export interface OcrConfig extends OcrSessionPart, OcrAlgorithmPart, OcrNodePart, OcrBrowserPart {}

/** How far the browser has read the pipeline's model files. */
export interface OcrModelProgress {
  loadedBytes: number;
  totalBytes: number;
  /** Files read so far from the cache rather than the network. */
  cachedFiles: number;
  files: number;
}

/** The model files of a pipeline, already located (paths, URLs or bytes), and the dictionary's symbols. */
export interface OcrSources {
  det: ModelSource;
  rec: ModelSource;
  cls?: ModelSource;
  dictionary: readonly string[];
}

/** A stage's session config: its own fields where given, the pipeline's otherwise; `modelName` names its model. */
export function stageSessionConfig(
  config: OcrConfig,
  stage: OcrStageConfig | false | undefined,
  modelName?: string,
): SessionConfig {
  const own = stage === false ? undefined : stage;
  const merged: SessionConfig = {};
  const backend = own?.backend ?? config.backend;
  const devices = own?.devices ?? config.devices;
  const strict = own?.strict ?? config.strict;
  const options = own?.options ?? config.options;
  const backendOptions = own?.backendOptions ?? config.backendOptions;
  if (backend !== undefined) merged.backend = backend;
  if (backendOptions !== undefined) merged.backendOptions = backendOptions;
  if (devices !== undefined) merged.devices = devices;
  if (strict !== undefined) merged.strict = strict;
  if (options !== undefined || modelName !== undefined)
    merged.options = { ...options, ...(modelName !== undefined ? { modelName } : {}) };
  return merged;
}

export const OCR_LAYOUTS: readonly OcrLayout[] = ['auto', 'single-block', 'sparse'];

/** The descriptors a config asks for (PP-OCRv4 unless a stage names another model). */
export function ocrModels(config: OcrConfig): { det: ModelDescriptor; rec: ModelDescriptor; cls?: ModelDescriptor } {
  const det = config.det?.model ?? PPOCR_V4_DET;
  const rec = config.rec?.model ?? PPOCR_V4_REC;
  if (config.layout !== undefined && !OCR_LAYOUTS.includes(config.layout))
    throw new ConfigError(
      `layout takes one of ${OCR_LAYOUTS.map((l) => `"${l}"`).join(', ')}; got ${JSON.stringify(config.layout)}`,
    );
  if (!rec.assets?.dictionary) throw new ConfigError(`Recognition model ${rec.id} has no dictionary asset`);
  return config.cls === false ? { det, rec } : { det, rec, cls: config.cls?.model ?? PPOCR_MOBILE_V2_CLS };
}
