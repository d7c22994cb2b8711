import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Backend, Feeds, ModelSource, RunOptions, Session, SessionConfig } from '@polyinfer/core';
import {
  BackendRegistry,
  ConfigError,
  defaultRegistry,
  isPolyinferError,
  ModelLoadError,
  reasonOf,
  Tensor,
} from '@polyinfer/core';
import { appendCtcGreedyHead, OPTIMIZER_VERSION, quantizeModel, simplifyModel } from '@polyinfer/optimize';
import { CTC_GREEDY_OUTPUT, spaceClassOf } from '../decoders/ctc-decoder.js';
import type { ModelFile } from '../resolvers/model-file.js';
import { defaultCacheDir } from '../resolvers/resolve-model-file.js';
import { SAMPLES_DIR } from '../samples.js';
import type { OcrConfig, OcrSources } from './ocr-config.js';
import { ocrModels, stageSessionConfig } from './ocr-config.js';
import { createOcrPipelineFrom } from './ocr-pipeline.js';
import type { OcrModelVariant } from './ocr-model-variant.js';
import { OCR_MODEL_VARIANTS } from './ocr-model-variant.js';

type Stage = 'det' | 'rec' | 'cls';

/** Hands out sessions that copy every feed they run into `sink`, keyed by the model name the stage gave. */
class FeedRecordingRegistry extends BackendRegistry {
  constructor(
    private readonly base: BackendRegistry,
    private readonly sink: Map<string, Feeds[]>,
  ) {
    super();
  }

  override async createSession(model: ModelSource, config: SessionConfig = {}): Promise<Session> {
    const session = await this.base.createSession(model, config);
    const feeds = this.sink.get(config.options?.modelName ?? '') ?? [];
    this.sink.set(config.options?.modelName ?? '', feeds);
    const run = session.run.bind(session);
    // The pipeline may reuse its buffers after a run: keep copies.
    session.run = (input: Feeds, options?: RunOptions) => {
      feeds.push(
        Object.fromEntries(
          Object.entries(input).map(([name, t]) => [name, new Tensor(t.dtype, t.data.slice(), t.dims)]),
        ),
      );
      return run(input, options);
    };
    return session;
  }
}

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Writes through a temporary name: processes that prepare the same variant at once never read half a file. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

interface VariantContext {
  config: OcrConfig;
  dir: string;
  existing: Set<string>;
}

/**
 * Changes whenever what calibration sees changes (the samples, or how the pipeline crops them): int8 files key on it
 * with the optimiser's version.
 */
const CALIBRATION_VERSION = '3';

async function cached(
  context: VariantContext,
  source: string,
  file: ModelFile | undefined,
  variant: string,
  make: (bytes: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  const sha = file?.sha256 ?? (await sha256Of(source));
  const version = variant.startsWith('int8') ? `v${OPTIMIZER_VERSION}c${CALIBRATION_VERSION}` : `v${OPTIMIZER_VERSION}`;
  const name = `${basename(source).replace(/\.onnx$/i, '')}.${variant}.${version}.${sha.slice(0, 16)}.onnx`;
  const path = join(context.dir, name);
  if (context.existing.has(name)) return path;
  context.config.onPrepareModel?.({ file: basename(source), variant, path });
  let bytes: Uint8Array;
  try {
    bytes = await make(await readFile(source));
  } catch (error) {
    // A file protobuf cannot read is a model that cannot load, whichever step reads it first.
    if (isPolyinferError(error)) throw error;
    throw new ModelLoadError(source, `not a readable ONNX model (${reasonOf(error)})`, error);
  }
  await writeAtomically(path, bytes);
  return path;
}

/** The feeds the float pipeline gives each stage while it reads the shipped samples: calibration data. */
async function calibrationFeeds(sources: OcrSources, config: OcrConfig): Promise<Map<string, Feeds[]>> {
  const sink = new Map<string, Feeds[]>();
  const ocr = await createOcrPipelineFrom(sources, {
    ...config,
    registry: new FeedRecordingRegistry(config.registry ?? defaultRegistry, sink),
  });
  try {
    const images = (await readdir(SAMPLES_DIR)).filter((f) => f.endsWith('.png')).sort();
    for (const image of images) await ocr.run(join(SAMPLES_DIR, image));
  } finally {
    await ocr.dispose();
  }
  return sink;
}

/**
 * The recogniser with a greedy CTC head (CTC_GREEDY_OUTPUT), whose third column is the space class the decoder reads
 * from the same dictionary. A recogniser that does not end in one [N, T, C] output is left as it is: the decoder reads
 * both forms.
 */
function withCtcHead(bytes: Uint8Array, spaceClass: number): Uint8Array {
  try {
    return appendCtcGreedyHead(bytes, { outputName: CTC_GREEDY_OUTPUT, spaceClass });
  } catch (error) {
    if (error instanceof RangeError) return bytes;
    throw error;
  }
}

/**
 * What `auto` means for this config (see OcrModelVariant), from what the stages' backends declare: the original files
 * where a backend opens models by name elsewhere (a local rewrite would never reach it); int8 where every stage runs
 * only on devices with integer kernels; simplified otherwise. A stage with no backend named is judged by the backend
 * the registry tries first.
 */
export async function resolveOcrVariant(config: OcrConfig): Promise<Exclude<OcrModelVariant, 'auto'>> {
  const variant = config.modelVariant ?? 'auto';
  if (!OCR_MODEL_VARIANTS.includes(variant))
    throw new ConfigError(
      `Unknown OCR model variant "${String(variant)}"; expected one of ${OCR_MODEL_VARIANTS.join(', ')}`,
      { modelVariant: variant },
    );
  if (variant !== 'auto') return variant;
  const registry = config.registry ?? defaultRegistry;
  const stages = [config.det, config.rec, config.cls === false ? undefined : config.cls].map((s) =>
    stageSessionConfig(config, s),
  );
  const backends = await Promise.all(stages.map((s) => firstBackend(registry, s.backend)));
  if (backends.some((b) => b?.capabilities.opensModelsByName)) return 'original';
  const int8Everywhere = stages.every((s, i) => {
    const backend = backends[i];
    const int8 = backend?.capabilities.int8Devices ?? [];
    return backend !== undefined && (s.devices ?? backend.defaultDevices).every((d) => int8.includes(d));
  });
  return int8Everywhere ? 'int8' : 'simplified';
}

/** The backend a stage's session would try first: the one named, or the registry's first that loads. */
async function firstBackend(registry: BackendRegistry, name: string | undefined): Promise<Backend | undefined> {
  for (const candidate of name === undefined ? registry.names : [name]) {
    try {
      return await registry.get(candidate);
    } catch {
      // Unavailable here: the registry would fall back past it too.
    }
  }
  return undefined;
}

/** The model files to open for `config.modelVariant`, preparing (once) those not yet in the cache. */
export async function prepareOcrVariant(sources: OcrSources, config: OcrConfig): Promise<OcrSources> {
  const variant = await resolveOcrVariant(config);
  if (variant === 'original') return sources;
  const stages = (['det', 'rec', 'cls'] as const).filter((s) => sources[s] !== undefined);
  if (!stages.every((s) => typeof sources[s] === 'string')) return sources; // bytes given by the caller: used as they are
  const dir = join(config.resolve?.cacheDir ?? defaultCacheDir(), 'variants');
  await mkdir(dir, { recursive: true });
  const context: VariantContext = { config, dir, existing: new Set(await readdir(dir)) };
  const models = ocrModels(config);
  const descriptor = (s: Stage): ModelFile | undefined =>
    s === 'det' ? models.det.model : s === 'rec' ? models.rec.model : models.cls?.model;
  // Recognition ends in a greedy CTC head: a runtime hands back 3 values per step instead of one per class.
  const spaceClass = Math.max(0, spaceClassOf(sources.dictionary));
  const finish = (s: Stage, bytes: Uint8Array): Uint8Array => (s === 'rec' ? withCtcHead(bytes, spaceClass) : bytes);
  const name = (s: Stage, variant: string): string => (s === 'rec' ? `${variant}-ctc` : variant);
  const simplified: OcrSources = { ...sources };
  for (const s of stages)
    simplified[s] = await cached(context, sources[s] as string, descriptor(s), name(s, 'simplified'), async (bytes) =>
      finish(s, simplifyModel(bytes).model),
    );
  if (variant === 'simplified') return simplified;

  const quantised: OcrSources = { ...simplified };
  let feeds: Map<string, Feeds[]> | undefined;
  for (const s of ['det', 'rec'] as const) {
    const model = s === 'det' ? models.det : models.rec;
    quantised[s] = await cached(context, sources[s] as string, descriptor(s), name(s, 'int8'), async (bytes) => {
      // Calibration runs the float pipeline: quantisation must not recurse into preparing int8 again.
      feeds ??= await calibrationFeeds(simplified, { ...config, modelVariant: 'simplified' });
      const samples = feeds.get(model.id) ?? [];
      const registry = config.registry ?? defaultRegistry;
      // Calibrated without the head (it follows the last float output); added after.
      const { model: int8 } = await quantizeModel(bytes, {
        samples,
        open: (b) => registry.createSession(b, stageSessionConfig(config, config[s])),
      });
      return finish(s, int8);
    });
  }
  return quantised;
}
