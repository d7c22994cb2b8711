import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { TARGET_NAMES } from './conformance-targets.js';
import { BROWSER_TARGET_NAMES } from './browser-lane.js';
import { conformanceMarkdown, coveragePage, passingCases } from './conformance-markdown.js';
import { DEBIAN_TEST_DATA, findTestCases } from './onnx-test-cases.js';
import { runConformance } from './run-conformance.js';

/** Where the command writes: standard output and standard error, as the CLI gives them. */
export interface ConformanceIo {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `polyinfer conformance [--data DIR]... [--targets T,T] [--filter RE] [--out DIR] [--jobs N] [--timeout-s S] [--write-expectations DIR]

Runs ONNX's backend test cases (test_*/model.onnx with test_data_set_*/input_N.pb, output_N.pb) on each target and
compares with onnx's rule. Targets: ${TARGET_NAMES.join(', ')} (default: these); in Chromium (Debian's, through
the browser rig; WebGPU on SwiftShader where there is no GPU — slow, so pick cases with --filter): ${BROWSER_TARGET_NAMES.join(', ')}.
--data defaults to Debian's libonnx-testdata (${DEBIAN_TEST_DATA}); a folder of test_* cases or a folder of such folders.
Each case runs in a worker process replaced after any case that does not pass; --same-process keeps it (only a crash
or a timeout replaces it), so that a case's outcome after a failing one shows whether the failure left anything behind.
Writes report.json, report.md and op-coverage/<target>.md to --out (default: conformance-report).`;

/** A target's name as a file name: "ort-web:wasm@chromium" → "ort-web-wasm-chromium". */
export const targetFileName = (target: string): string => target.replace(/[:@]/g, '-');

/** \`polyinfer conformance\`: returns the exit code (0 when it ran, whatever the cases did; 2 on bad usage). */
export async function runConformanceCli(argv: readonly string[], io: ConformanceIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string', multiple: true },
        targets: { type: 'string' },
        filter: { type: 'string' },
        out: { type: 'string', default: 'conformance-report' },
        jobs: { type: 'string' },
        'timeout-s': { type: 'string', default: '120' },
        'write-expectations': { type: 'string' },
        'same-process': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`polyinfer conformance: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const dataDirs = values.data ?? [DEBIAN_TEST_DATA];
  for (const dir of dataDirs) {
    if (!existsSync(dir)) {
      io.err(
        dir === DEBIAN_TEST_DATA
          ? `polyinfer conformance: no ONNX backend test data at ${dir}. Install Debian's package (apt-get install libonnx-testdata) or pass --data DIR.\n`
          : `polyinfer conformance: no ONNX backend test data at ${dir}\n`,
      );
      return 2;
    }
  }
  const targets = values.targets ? values.targets.split(',').map((t) => t.trim()) : [...TARGET_NAMES];
  const known: readonly string[] = [...TARGET_NAMES, ...BROWSER_TARGET_NAMES];
  const unknown = targets.filter((t) => !known.includes(t));
  if (unknown.length > 0) {
    io.err(`polyinfer conformance: unknown target(s) ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
    return 2;
  }
  let filter: RegExp | undefined;
  try {
    filter = values.filter ? new RegExp(values.filter) : undefined;
  } catch (error) {
    io.err(`polyinfer conformance: --filter is not a regular expression: ${(error as Error).message}\n`);
    return 2;
  }
  const jobs = values.jobs ? Number(values.jobs) : Math.max(1, availableParallelism());
  const timeoutS = Number(values['timeout-s']);
  if (!Number.isInteger(jobs) || jobs < 1 || !(timeoutS > 0)) {
    io.err('polyinfer conformance: --jobs is a positive integer and --timeout-s a positive number\n');
    return 2;
  }
  const cases = dataDirs.flatMap((dir) => findTestCases(dir, filter));
  io.err(`${cases.length} cases × ${targets.length} targets, ${jobs} worker lane(s) per target\n`);
  const report = await runConformance({
    cases,
    targets,
    dataDirs,
    jobs,
    timeoutMs: timeoutS * 1000,
    sameProcess: values['same-process'] === true,
    onOutcome: (target, _id, _outcome, done, total) => {
      if (done === total || done % 200 === 0) io.err(`${target}: ${done}/${total}\n`);
    },
  });
  mkdirSync(join(values.out, 'op-coverage'), { recursive: true });
  writeFileSync(join(values.out, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
  const markdown = conformanceMarkdown(report);
  writeFileSync(join(values.out, 'report.md'), markdown);
  const { IMPORTER_OPS } = await import('@polyinfer/backend-tfjs/base');
  for (const t of report.targets.filter((t) => !t.unavailable)) {
    writeFileSync(
      join(values.out, 'op-coverage', `${targetFileName(t.name)}.md`),
      coveragePage(report, t.name, t.name.startsWith('tfjs:') ? IMPORTER_OPS : undefined),
    );
  }
  if (values['write-expectations']) {
    mkdirSync(values['write-expectations'], { recursive: true });
    for (const t of report.targets.filter((t) => !t.unavailable))
      writeFileSync(
        join(values['write-expectations'], `${targetFileName(t.name)}.txt`),
        `${passingCases(report, t.name).join('\n')}\n`,
      );
  }
  io.out(markdown);
  io.err(`written to ${values.out}/ (report.json, report.md, op-coverage/)\n`);
  return 0;
}
