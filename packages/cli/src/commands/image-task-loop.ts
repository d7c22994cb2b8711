import { isPolyinferError } from '@polyinfer/core';
import type { BatchItem, RunManyOptions } from '@polyinfer/models';
import { createTaskWorkerPool } from '@polyinfer/models';
import { THREAD_WORKER_BACKENDS, threadWorkerBackend, workerModuleOf } from '@polyinfer/backends';
import type { BackendRegistry, SessionConfig } from '@polyinfer/core';
import type { CliIo } from '../cli-io.js';
import { createCliRegistry } from '../cli-registry.js';
import type { SessionFlags } from './session-options.js';
import { sessionConfigOf } from './session-options.js';
import { progressLine } from './progress-line.js';

/** What an image task's pipeline offers the command line: a stream of results in input order, and dispose. */
export interface ImageTaskPipeline<R> {
  stream(inputs: Iterable<string>, options: RunManyOptions): AsyncGenerator<BatchItem<string, R>>;
  dispose(): Promise<void>;
}

/**
 * Runs an image task over the images, printing one result per image in input order (JSON lines or text); an image
 * that fails is reported and the rest still run. A progress bar on a terminal and images/s at the end when there are
 * several. Returns the exit code.
 */
export async function runImageTask<R>(
  task: string,
  pipeline: ImageTaskPipeline<R>,
  inputs: readonly string[],
  options: {
    json?: boolean;
    inFlight: number;
    jsonOf: (image: string, result: R) => object;
    textOf: (image: string, result: R) => string;
  },
  io: CliIo,
): Promise<number> {
  let failures = 0;
  const many = inputs.length > 1;
  const progress = progressLine(io.err, many && (io.isTerminal ?? false), task);
  const started = performance.now();
  try {
    for await (const item of pipeline.stream(inputs, {
      inFlight: options.inFlight,
      onProgress: (done, total) => progress.update(done, total),
    })) {
      progress.end();
      if ('result' in item)
        io.out(
          options.json
            ? `${JSON.stringify(options.jsonOf(item.input, item.result))}\n`
            : options.textOf(item.input, item.result),
        );
      else {
        failures++;
        const code = isPolyinferError(item.error) ? item.error.code : 'INTERNAL';
        if (options.json)
          io.out(`${JSON.stringify({ image: item.input, error: { code, message: item.error.message } })}\n`);
        io.err(`polyinfer: ${item.input}: ${item.error.message}\n`);
      }
    }
  } finally {
    progress.end();
    await pipeline.dispose();
  }
  if (many) {
    const seconds = (performance.now() - started) / 1000;
    io.err(
      `polyinfer: ${inputs.length} images in ${seconds.toFixed(1)} s, ${(inputs.length / seconds).toFixed(2)} images/s${failures ? `, ${failures} failed` : ''}\n`,
    );
  }
  return failures > 0 ? 1 : 0;
}

/** A number option, or the message naming what is wrong with it. */
export function numberOption(name: string, value: string | undefined, whole: boolean): number | undefined | string {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n)))
    return `--${name} takes ${whole ? 'a whole number' : 'a number'}; got "${value}"`;
  return n;
}

/** Parses number options at once: their values, or the first message. */
export function numberOptions<K extends string>(
  specs: Record<K, [value: string | undefined, whole: boolean]>,
): { values: Partial<Record<K, number>> } | { error: string } {
  const values: Partial<Record<K, number>> = {};
  for (const [key, [value, whole]] of Object.entries(specs) as [K, [string | undefined, boolean]][]) {
    const parsed = numberOption(
      key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
      value,
      whole,
    );
    if (typeof parsed === 'string') return { error: parsed };
    if (parsed !== undefined) values[key] = parsed;
  }
  return { values };
}

/** A labels file: one class name per line, in class order (blank lines at the end ignored). */
export function parseLabels(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** What every single-model task command starts from: the model, the CLI's registry, the session flags. */
export interface TaskCommandStart<K extends string> {
  base: SessionConfig & { model: string; registry: BackendRegistry };
  numbers: Partial<Record<K, number>>;
  inFlight: number;
}

/**
 * Parses a task command's number options (with --in-flight and --threads) and builds its session config; a bad
 * number is said on stderr and gives undefined (exit code 2).
 */
export function startTaskCommand<K extends string>(
  flags: SessionFlags & { model: string; inFlight?: string },
  specs: Record<K, [value: string | undefined, whole: boolean]>,
  io: CliIo,
): TaskCommandStart<K> | undefined {
  const parsed = numberOptions({ ...specs, inFlight: [flags.inFlight, true], threads: [flags.threads, true] });
  if ('error' in parsed) {
    io.err(`polyinfer: ${parsed.error}\n`);
    return undefined;
  }
  const { inFlight, threads, ...numbers } = parsed.values as Partial<Record<K | 'inFlight' | 'threads', number>>;
  return {
    base: { model: flags.model, registry: createCliRegistry(io), ...sessionConfigOf(flags, threads) },
    numbers: numbers as Partial<Record<K, number>>,
    inFlight: inFlight ?? 2,
  };
}

/** Where a task's pipeline runs, for the output: one backend and device. */
export interface RunsOn {
  backend: string;
  device: string;
}

/**
 * The task's pipeline in this thread, or with `--workers N` one per worker thread (a backend the catalogue says can
 * run there: onnxruntime-node), with where it runs. A refusal is said on stderr and gives undefined.
 */
export async function openTaskPipeline<R, C extends { registry?: unknown; backend?: string }>(
  task: string,
  config: C,
  workersFlag: string | undefined,
  inProcess: (config: C) => Promise<ImageTaskPipeline<R> & { session: RunsOn }>,
  io: CliIo,
): Promise<{ pipeline: ImageTaskPipeline<R>; runsOn: RunsOn } | undefined> {
  try {
    if (workersFlag === undefined) {
      const pipeline = await inProcess(config);
      return { pipeline, runsOn: { backend: pipeline.session.backend, device: pipeline.session.device } };
    }
    const workers = Number(workersFlag);
    const entry = threadWorkerBackend(config.backend);
    if (!Number.isInteger(workers) || workers < 1 || !entry) {
      io.err(
        `polyinfer: --workers takes a whole number of threads, 1 or more, and runs on ${THREAD_WORKER_BACKENDS.map((e) => e.name).join(', ')}\n`,
      );
      return undefined;
    }
    const { registry: _registry, ...portable } = config;
    const pool = await createTaskWorkerPool<R, RunsOn>(task, portable, {
      workers,
      backendModules: [workerModuleOf(entry)],
    });
    return { pipeline: pool, runsOn: pool.info };
  } catch (error) {
    io.err(`polyinfer: ${(error as Error).message}\n`);
    return undefined;
  }
}

/** How a task command prints a result, knowing where its pipeline runs. */
export interface TaskOutput<R> {
  jsonOf: (image: string, result: R) => object;
  textOf: (image: string, result: R) => string;
}

/** Opens the task's pipeline (in this thread or in workers) and runs it over the images; returns the exit code. */
export async function runTaskCommand<R, C extends { registry?: unknown; backend?: string }>(
  task: string,
  config: C,
  inputs: readonly string[],
  flags: { workers?: string | undefined; json?: boolean | undefined; inFlight: number },
  create: (config: C) => Promise<ImageTaskPipeline<R> & { session: RunsOn }>,
  output: (runsOn: RunsOn) => TaskOutput<R>,
  io: CliIo,
): Promise<number> {
  const opened = await openTaskPipeline(task, config, flags.workers, create, io);
  if (!opened) return 2;
  const json = flags.json !== undefined ? { json: flags.json } : {};
  return runImageTask<R>(
    task,
    opened.pipeline,
    inputs,
    { ...json, inFlight: flags.inFlight, ...output(opened.runsOn) },
    io,
  );
}
