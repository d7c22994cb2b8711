import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compareReports, comparisonMarkdown } from './harness/compare-reports.js';
import type { ScenarioName } from '@polyinfer/bench-core';
import { SCENARIOS } from '@polyinfer/bench-core';
import type { BenchOptions, BenchReport } from './harness/harness.js';
import { runBenchmark } from './harness/harness.js';
import { assertReport } from './harness/report-schema.js';
import { htmlReport } from './harness/report-html.js';
import { markdownReport } from './harness/report-markdown.js';

const USAGE = `polyinfer bench [--quick] [--out DIR] [--models id,…] [--backends backend:device[@node|@chromium],…|remote:URL]
                [--model file.onnx [--shape name=1x3x224x224] [--input-range name=lo..hi] [--input name=file.npy] …]
                [--task detect|classify --model file.onnx [--images DIR]]
                [--scenario single-stream,concurrency,server,offline|all]
                [--window-ms MS] [--stability-windows N] [--stability-percentage P] [--min-count N]
                [--concurrency 1,2,4] [--rates R1,R2,…] [--latency-bound-ms MS] [--server-workers N] [--batch-size N]
                [--timeout S] [--no-browser] [--all-slow] [--seed N] [--wasm-threads N] [--ocr-images DIR]
polyinfer bench compare A.json B.json [--threshold 0.1]`;

/** A comma-separated list of positive numbers, or a usage error naming the flag. */
function numbers(flag: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0))
    throw new UsageError(`--${flag} takes positive numbers separated by commas, not '${text}'`);
  return values;
}

function one(flag: string, text: string | undefined): number | undefined {
  const values = numbers(flag, text);
  if (values && values.length !== 1) throw new UsageError(`--${flag} takes one number, not '${text}'`);
  return values?.[0];
}

function scenariosOf(text: string | undefined): ScenarioName[] | undefined {
  if (text === undefined) return undefined;
  if (text === 'all') return [...SCENARIOS];
  const names = text.split(',');
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length)
    throw new UsageError(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}, all`);
  return names as ScenarioName[];
}

class UsageError extends Error {}

function readReport(path: string): BenchReport {
  return assertReport(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** The bench command; returns the exit code. */
export async function runBenchCli(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
): Promise<number> {
  if (argv[0] === 'compare') {
    const { values, positionals } = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: { threshold: { type: 'string', default: '0.1' } },
    });
    if (positionals.length !== 2) {
      io.err(`${USAGE}\n`);
      return 2;
    }
    const threshold = Number(values.threshold);
    const comparison = compareReports(
      readReport(positionals[0] as string),
      readReport(positionals[1] as string),
      threshold,
    );
    io.out(comparisonMarkdown(comparison, threshold));
    return comparison.regressions > 0 ? 1 : 0;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-out' },
      models: { type: 'string' },
      backends: { type: 'string' },
      model: { type: 'string', multiple: true },
      shape: { type: 'string', multiple: true },
      'input-range': { type: 'string', multiple: true },
      input: { type: 'string', multiple: true },
      scenario: { type: 'string' },
      'window-ms': { type: 'string' },
      'stability-windows': { type: 'string' },
      'stability-percentage': { type: 'string' },
      'min-count': { type: 'string' },
      concurrency: { type: 'string' },
      rates: { type: 'string' },
      'latency-bound-ms': { type: 'string' },
      'server-workers': { type: 'string' },
      'batch-size': { type: 'string' },
      timeout: { type: 'string' },
      'no-browser': { type: 'boolean', default: false },
      'all-slow': { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      'wasm-threads': { type: 'string', default: '2' },
      'ocr-images': { type: 'string' },
      task: { type: 'string' },
      images: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  let measure: Partial<BenchOptions>;
  try {
    const scenarios = scenariosOf(values.scenario);
    const stability = one('stability-percentage', values['stability-percentage']);
    // Only what was given, nested as BenchOptions (and the report's settings) nest it.
    const given = <T extends object>(o: T): Partial<T> =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
    measure = given({
      scenarios,
      measure: given({
        windowMs: one('window-ms', values['window-ms']),
        stabilityWindows: one('stability-windows', values['stability-windows']),
        stabilityTolerance: stability === undefined ? undefined : stability / 100,
        minCount: one('min-count', values['min-count']),
        concurrency: numbers('concurrency', values.concurrency),
      }),
      server: given({
        rates: numbers('rates', values.rates),
        latencyBoundMs: one('latency-bound-ms', values['latency-bound-ms']),
        workers: one('server-workers', values['server-workers']),
      }),
      offline: given({ batchSize: one('batch-size', values['batch-size']) }),
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`polyinfer bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  let report: BenchReport;
  try {
    report = await runBenchmark({
      ...measure,
      quick: values.quick,
      out,
      ...(values.models ? { models: values.models.split(',') } : {}),
      ...(values.backends ? { targets: values.backends.split(',') } : {}),
      userModels: (values.model ?? []).map((path) => ({
        path,
        shapes: values.shape ?? [],
        ranges: values['input-range'] ?? [],
        npy: values.input ?? [],
      })),
      seed: Number(values.seed),
      ...(values.timeout ? { timeoutS: Number(values.timeout) } : {}),
      browser: !values['no-browser'],
      wasmThreads: Number(values['wasm-threads']),
      ...(values['ocr-images'] ? { ocrImages: resolve(values['ocr-images']) } : {}),
      ...(values.task ? { task: values.task } : {}),
      ...(values.images ? { taskImages: resolve(values.images) } : {}),
      allWebgpu: values['all-slow'],
      progress: (line) => io.err(`${line}\n`),
    });
  } catch (error) {
    // What the user gave does not fit (a model's inputs, an --input file, an unknown model name): say so, no stack.
    io.err(`polyinfer bench: ${(error as Error).message}\n`);
    return 2;
  }
  assertReport(report, 'the report just made');
  writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, 'report.md'), markdownReport(report));
  writeFileSync(join(out, 'report.html'), htmlReport(report));
  const counts = report.cells.reduce<Record<string, number>>(
    (acc, c) => ({ ...acc, [c.status]: (acc[c.status] ?? 0) + 1 }),
    {},
  );
  io.err(
    `done in ${(report.durationMs / 1000).toFixed(0)} s: ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}\nreports: ${join(out, 'report.json')}, report.md, report.html\n`,
  );
  return 0;
}

export { compareReports } from './harness/compare-reports.js';
export { runBenchmark } from './harness/harness.js';
export type { BenchOptions, BenchReport } from './harness/harness.js';
export { htmlReport } from './harness/report-html.js';
export { markdownReport } from './harness/report-markdown.js';
export { assertReport, REPORT_JSON_SCHEMA, reportProblems } from './harness/report-schema.js';

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runBenchCli(process.argv.slice(2));
}
