import { isPolyinferError } from '@polyinfer/core';
import type { OcrConfig, OcrModelVariant, OcrPipeline, OcrResult } from '@polyinfer/models';
import { createOcrPipeline, DEFAULT_SAMPLE_IMAGE, OcrWorkerPool } from '@polyinfer/models';
import { remoteEntry, THREAD_WORKER_BACKENDS, threadWorkerBackend, workerModuleOf } from '@polyinfer/backends';
import type { CliIo } from '../cli-io.js';
import { readFileSync } from 'node:fs';
import { createCliRegistry } from '../cli-registry.js';
import { remoteEndpoint } from './remote-endpoint.js';
import { expandImageInputs, isPdfFile } from './image-inputs.js';
import type { DocumentOutputOptions } from './ocr-document-command.js';
import { OCR_FORMATS, ocrDocumentCommand, pageJson } from './ocr-document-command.js';
import { progressLine } from './progress-line.js';

export interface OcrCommandOptions {
  backend?: string;
  /** Comma-separated fallback chain, e.g. "cuda,cpu". */
  device?: string;
  strict?: boolean;
  cls?: boolean;
  json?: boolean;
  threads?: string;
  /** A v2 server for every stage: http(s)://host:port or grpc://host:port. */
  remote?: string;
  authTokenFile?: string;
  /** Images in flight at once (default 2). */
  inFlight?: string;
  /** Worker threads with a pipeline each (OcrWorkerPool). */
  workers?: string;
  modelVariant?: string;
  /** text, json, hocr, alto, tsv or pdf: one document of every page read. */
  format?: string;
  out?: string;
  dpi?: string;
  pages?: string;
  password?: string;
}

/** What the output needs of a pipeline or a worker pool: where its stages run. */
type Stages = Pick<OcrPipeline, 'stages'>;

function stagesSummary(ocr: Stages): { backend: string; device: string } {
  const stages = [ocr.stages.det, ocr.stages.cls, ocr.stages.rec].filter((s) => s !== undefined);
  const unique = (values: string[]): string => [...new Set(values)].join('+');
  return { backend: unique(stages.map((s) => s.backend)), device: unique(stages.map((s) => s.device)) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Where the stages ran and how long each took: what --json adds to a page. */
function runJson(result: OcrResult, ocr: Stages): object {
  const t = result.timings;
  return {
    ...stagesSummary(ocr),
    timings: {
      decode: round(t.decode, 2),
      detection: round(t.detection.total, 2),
      classification: round(t.classification.total, 2),
      recognition: round(t.recognition.total, 2),
      total: round(t.total, 2),
    },
    stages: ocr.stages,
  };
}

function jsonOf(image: string, result: OcrResult, ocr: Stages): object {
  return pageJson({ ...result, page: 1, source: image }, runJson(result, ocr));
}

function textOf(image: string, result: OcrResult, ocr: Stages): string {
  const { backend, device } = stagesSummary(ocr);
  const t = result.timings;
  const lines = result.lines.map((l) => `  ${l.confidence.toFixed(3)}  ${l.text}`);
  return [
    `${image} (${result.width}×${result.height}, ${result.lines.length} lines)`,
    ...lines,
    `  ${backend}:${device} — total ${t.total.toFixed(1)} ms (decode ${t.decode.toFixed(1)}, detection ${t.detection.total.toFixed(1)}, angle ${t.classification.total.toFixed(1)}, recognition ${t.recognition.total.toFixed(1)})`,
    '',
  ].join('\n');
}

/**
 * OCR of files, directories and globs, a few images in flight, results printed in input order; a failing image is
 * reported and the rest still run. With more than one image: a progress bar on a terminal and images/s at the end.
 * Returns the exit code.
 */
export async function ocrCommand(images: string[], options: OcrCommandOptions, io: CliIo): Promise<number> {
  const inputs = images.length > 0 ? expandImageInputs(images, { pdf: true }) : [DEFAULT_SAMPLE_IMAGE];
  const document = documentOptions(inputs, options, io);
  if (document === 'invalid') return 2;
  const inFlight = options.inFlight === undefined ? 2 : Number(options.inFlight);
  if (!Number.isInteger(inFlight) || inFlight < 1) {
    io.err(`polyinfer: --in-flight takes a whole number of images, 1 or more; got "${options.inFlight}"\n`);
    return 2;
  }
  let remote: ReturnType<typeof remoteEndpoint> | undefined;
  try {
    const token = options.authTokenFile ? readFileSync(options.authTokenFile, 'utf8').trim() : undefined;
    remote = options.remote ? remoteEndpoint(options.remote, token) : undefined;
  } catch (error) {
    io.err(`polyinfer: ${(error as Error).message}\n`);
    return 2;
  }
  const config: OcrConfig = {
    registry: createCliRegistry(io, { quiet: false, ...(remote ? { remote: remote.config } : {}) }),
  };
  if (remote) {
    // Every stage on the server, each model under its model-set id (as `polyinfer serve` names them).
    config.backend = remoteEntry().name;
    config.devices = [remote.device];
  }
  if (options.backend) config.backend = options.backend;
  if (options.device)
    config.devices = options.device
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  if (options.strict) config.strict = true;
  if (options.cls === false) config.cls = false;
  if (options.threads) config.options = { intraOpThreads: Number(options.threads) };
  if (options.modelVariant) config.modelVariant = options.modelVariant as OcrModelVariant;
  config.onPrepareModel = ({ file, variant }) =>
    io.err(`polyinfer: preparing the ${variant} form of ${file} (once: it is kept in the model cache)\n`);
  const workers = options.workers === undefined ? undefined : Number(options.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    io.err(`polyinfer: --workers takes a whole number of threads, 1 or more; got "${options.workers}"\n`);
    return 2;
  }
  // Worker threads import a backend's Node entry each: only backends the catalogue says can run there.
  const workerBackend = threadWorkerBackend(config.backend);
  if (workers !== undefined && (remote || !workerBackend)) {
    io.err(
      `polyinfer: --workers runs pipelines in worker threads on ${THREAD_WORKER_BACKENDS.map((e) => e.name).join(', ')}; it does not combine with --remote or another backend\n`,
    );
    return 2;
  }

  let ocr: OcrPipeline | OcrWorkerPool;
  try {
    if (workers === undefined) ocr = await createOcrPipeline(config);
    else {
      const { registry: _registry, onPrepareModel: _onPrepare, ...portable } = config;
      // Prepared here first (once, with progress): the workers then find every variant in the cache.
      await (await createOcrPipeline(config)).dispose();
      ocr = await OcrWorkerPool.create(portable, {
        workers,
        backendModules: [workerModuleOf(workerBackend as NonNullable<typeof workerBackend>)],
      });
    }
  } catch (error) {
    io.err(`polyinfer: ${(error as Error).message}\n`);
    return 2;
  }
  if (document) {
    try {
      // With worker threads, as many pages are read at once as there are workers (the next ones render meanwhile).
      const inFlight = ocr instanceof OcrWorkerPool ? ocr.workers : 1;
      return await ocrDocumentCommand(ocr, inputs, { ...document, inFlight }, io, {
        json: (page) => runJson(page, ocr),
        report: (page) =>
          textOf(page.hasTextLayer === undefined ? (page.source ?? '') : `${page.source} page ${page.page}`, page, ocr),
      });
    } finally {
      await ocr.dispose();
    }
  }
  let failures = 0;
  const many = inputs.length > 1;
  const progress = progressLine(io.err, many && (io.isTerminal ?? false), 'ocr');
  const started = performance.now();
  try {
    const onProgress = (done: number, total: number): void => progress.update(done, total);
    const stream =
      ocr instanceof OcrWorkerPool ? ocr.stream(inputs, { onProgress }) : ocr.stream(inputs, { inFlight, onProgress });
    for await (const item of stream) {
      progress.end();
      const image = item.input;
      if ('result' in item)
        io.out(options.json ? `${JSON.stringify(jsonOf(image, item.result, ocr))}\n` : textOf(image, item.result, ocr));
      else {
        failures++;
        const code = isPolyinferError(item.error) ? item.error.code : 'INTERNAL';
        const message = item.error.message;
        if (options.json) io.out(`${JSON.stringify({ image, error: { code, message } })}\n`);
        io.err(`polyinfer: ${image}: ${message}\n`);
      }
    }
  } finally {
    progress.end();
    await ocr.dispose();
  }
  if (many) {
    const seconds = (performance.now() - started) / 1000;
    io.err(
      `polyinfer: ${inputs.length} images in ${seconds.toFixed(1)} s, ${(inputs.length / seconds).toFixed(2)} images/s (${ocr instanceof OcrWorkerPool ? `${ocr.workers} workers` : `${inFlight} in flight`})${failures ? `, ${failures} failed` : ''}\n`,
    );
  }
  return failures > 0 ? 1 : 0;
}

/**
 * Document mode — PDFs among the inputs, or --format, --out, --dpi, --pages or --password given — and its settings;
 * undefined for images read as before; 'invalid' when an option is wrong (reported).
 */
function documentOptions(
  inputs: readonly string[],
  options: OcrCommandOptions,
  io: CliIo,
): DocumentOutputOptions | undefined | 'invalid' {
  const { format, out, dpi, pages, password } = options;
  const asked = [format, out, dpi, pages, password].some((o) => o !== undefined);
  if (!asked && !inputs.some(isPdfFile)) return undefined;
  const chosen = format ?? (options.json ? 'json' : out ? 'text' : 'report');
  if (chosen !== 'report' && !(OCR_FORMATS as readonly string[]).includes(chosen)) {
    io.err(`polyinfer: --format takes one of ${OCR_FORMATS.join(', ')}; got "${format}"\n`);
    return 'invalid';
  }
  if (format !== undefined && options.json && format !== 'json') {
    io.err(`polyinfer: --json is --format json; it does not combine with --format ${format}\n`);
    return 'invalid';
  }
  if (chosen === 'pdf' && !out) {
    io.err('polyinfer: --format pdf writes a file: name it with --out FILE\n');
    return 'invalid';
  }
  const dots = dpi === undefined ? undefined : Number(dpi);
  if (dots !== undefined && !(Number.isFinite(dots) && dots > 0 && dots <= 2400)) {
    io.err(`polyinfer: --dpi takes pixels per inch, above 0 and at most 2400; got "${dpi}"\n`);
    return 'invalid';
  }
  return {
    format: chosen as DocumentOutputOptions['format'],
    ...(out === undefined ? {} : { out }),
    ...(dots === undefined ? {} : { dpi: dots }),
    ...(pages === undefined ? {} : { pages }),
    ...(password === undefined ? {} : { password }),
  };
}
