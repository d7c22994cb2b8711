import type { CaseOutcome, CaseStatus } from './case-outcome.js';
import { CASE_STATUSES } from './case-outcome.js';
import { RAW_ONNXRUNTIME } from './conformance-targets.js';
import type { CaseInfo, ConformanceReport } from './run-conformance.js';

const STATUS_HEADINGS: Record<CaseStatus, string> = {
  pass: 'pass',
  wrong: 'wrong values',
  refused: 'refused at load',
  unheld: "type polyinfer's Tensor cannot hold",
  'run-error': 'run errors',
  timeout: 'timeouts',
  crash: 'crashes',
};

const percent = (n: number, of: number): string => (of === 0 ? '–' : `${((100 * n) / of).toFixed(0)} %`);
const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;

function tally(outcomes: Record<string, CaseOutcome>, ids: readonly string[]): Record<CaseStatus, number> {
  const counts = Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
  for (const id of ids) {
    const o = outcomes[id];
    if (o) counts[o.status]++;
  }
  return counts;
}

/** The cases a target passes, sorted (what an expectation file lists). */
export function passingCases(report: ConformanceReport, target: string): string[] {
  return Object.entries(report.outcomes[target] ?? {})
    .filter(([, o]) => o.status === 'pass')
    .map(([id]) => id)
    .sort();
}

/** Cases the reference (onnxruntime-node called directly) passes and a polyinfer target does not. */
export function lostAgainstRaw(report: ConformanceReport, target: string): string[] {
  const raw = report.outcomes[RAW_ONNXRUNTIME];
  if (!raw) return [];
  const mine = report.outcomes[target] ?? {};
  return Object.entries(raw)
    .filter(([id, o]) => o.status === 'pass' && mine[id]?.status !== 'pass')
    .map(([id]) => id)
    .sort();
}

function byOp(cases: readonly CaseInfo[]): Map<string, CaseInfo[]> {
  const groups = new Map<string, CaseInfo[]>();
  for (const c of cases) groups.set(c.opType, [...(groups.get(c.opType) ?? []), c]);
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

/** The report as Markdown: a summary per data set and target, what polyinfer loses against onnxruntime, refusals, and per op. */
export function conformanceMarkdown(report: ConformanceReport): string {
  const targets = report.targets.filter((t) => !t.unavailable).map((t) => t.name);
  const suites = [...new Set(report.cases.map((c) => c.suite))];
  const lines = [
    '# ONNX backend test suite through polyinfer',
    '',
    `${report.date} · Node ${report.versions.node} · onnxruntime-node ${report.versions['onnxruntime-node']} · onnxruntime-web ${report.versions['onnxruntime-web']} · tfjs ${report.versions['@tensorflow/tfjs-core']}${report.versions.chromium ? ` · Chromium ${report.versions.chromium}` : ''}`,
    `Data: ${report.dataDirs.join(', ')} (${report.cases.length} cases). Each case in a worker process (a page, for @chromium targets) replaced after any case that does not pass; onnx's rule (rtol 1e-3, atol 1e-7, NaN equals NaN; integers, bools and strings exact; dtype and shape must match).`,
    '',
    row(['data set', 'target', 'cases', ...CASE_STATUSES.map((s) => STATUS_HEADINGS[s])]),
    row(['---', '---', '---:', ...CASE_STATUSES.map(() => '---:')]),
  ];
  for (const suite of suites) {
    const ids = report.cases.filter((c) => c.suite === suite).map((c) => c.id);
    for (const target of targets) {
      const counts = tally(report.outcomes[target] ?? {}, ids);
      lines.push(
        row([
          suite,
          target,
          ids.length,
          ...CASE_STATUSES.map((s) => (s === 'pass' ? `${counts[s]} (${percent(counts[s], ids.length)})` : counts[s])),
        ]),
      );
    }
  }
  for (const t of report.targets.filter((t) => t.unavailable))
    lines.push('', `**${t.name} is unavailable here**: ${t.unavailable}`);
  if (report.outcomes[RAW_ONNXRUNTIME]) {
    lines.push('', '## What polyinfer loses against onnxruntime-node called directly', '');
    for (const target of targets.filter((t) => t !== RAW_ONNXRUNTIME)) {
      const lost = lostAgainstRaw(report, target);
      lines.push(
        `- **${target}**: ${lost.length === 0 ? 'nothing: every case onnxruntime-node passes, it passes' : `${lost.length} case(s): ${lost.map((id) => `${id} (${report.outcomes[target]?.[id]?.status})`).join(', ')}`}`,
      );
    }
  }
  lines.push(
    '',
    '## Why cases do not pass (by error code or kind)',
    '',
    row(['target', 'status', 'code', 'cases']),
    row(['---', '---', '---', '---:']),
  );
  for (const target of targets) {
    const reasons = new Map<string, number>();
    for (const o of Object.values(report.outcomes[target] ?? {})) {
      if (o.status === 'pass') continue;
      const key = `${o.status}|${o.code ?? '–'}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    for (const [key, n] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(row([target, ...key.split('|'), n]));
  }
  lines.push(
    '',
    '## Per op type (cases passed / cases)',
    '',
    row(['op', 'cases', ...targets]),
    row(['---', '---:', ...targets.map(() => '---:')]),
  );
  for (const [op, cases] of byOp(report.cases)) {
    lines.push(
      row([
        op,
        cases.length,
        ...targets.map((t) => cases.filter((c) => report.outcomes[t]?.[c.id]?.status === 'pass').length),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A page per target for users choosing a backend: op type → cases passed / total, with opsets, and why the rest fail.
 * `importer` (the tfjs targets) adds what the importer's table says of each op: its opsets and what its kernel does.
 */
export function coveragePage(
  report: ConformanceReport,
  target: string,
  importer?: ReadonlyMap<string, string>,
): string {
  const outcomes = report.outcomes[target] ?? {};
  const all = tally(
    outcomes,
    report.cases.map((c) => c.id),
  );
  const lines = [
    `# ${target}: ONNX operator coverage`,
    '',
    '<!-- Written by `polyinfer conformance`; do not edit by hand. -->',
    '',
    `Measured ${report.date.slice(0, 10)} with onnxruntime-node ${report.versions['onnxruntime-node']}, onnxruntime-web ${report.versions['onnxruntime-web']}, tfjs ${report.versions['@tensorflow/tfjs-core']}, Node ${report.versions.node}, on ONNX's backend test data (${report.dataDirs.join(', ')}).`,
    `${all.pass} of ${report.cases.length} cases pass (${percent(all.pass, report.cases.length)}).`,
    '',
    row(['op', 'opsets', 'passed / cases', 'not passing', ...(importer ? ['importer'] : [])]),
    row(['---', '---', '---:', '---', ...(importer ? ['---'] : [])]),
  ];
  for (const [op, cases] of byOp(report.cases)) {
    const opsets = [...new Set(cases.map((c) => c.opset))].sort((a, b) => a - b).join(', ');
    const failing = cases.filter((c) => outcomes[c.id]?.status !== 'pass');
    const shown = failing
      .slice(0, 4)
      .map((c) => `${c.id.split('/')[1]} (${outcomes[c.id]?.code ?? outcomes[c.id]?.status ?? 'not run'})`);
    const described = importer ? [importer.get(op) ?? 'not in the importer'] : [];
    lines.push(
      row([
        op,
        opsets,
        `${cases.length - failing.length} / ${cases.length}`,
        [...shown, ...(failing.length > 4 ? [`… ${failing.length - 4} more`] : [])].join(', ') || '–',
        ...described,
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}
