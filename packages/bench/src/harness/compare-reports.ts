import { LOAD_SCENARIOS } from '@polyinfer/bench-core';
import type { CellResult } from './cell.js';
import { scenarioFiguresOf } from './cell.js';
import type { BenchReport } from './harness.js';
import { cellTarget } from './report-markdown.js';

/** The figures compared cell by cell: each load scenario's own metrics, with the direction that is better. */
const METRICS = LOAD_SCENARIOS.flatMap((s) => s.metrics);

export interface Comparison {
  rows: {
    id: string;
    model: string;
    target: string;
    metric: string;
    before?: number;
    after?: number;
    ratio?: number;
    regression: boolean;
    note?: string;
  }[];
  regressions: number;
  /** What differs between the two runs' machines and versions: figures from different set-ups compare set-ups too. */
  machineDifferences: string[];
}

/** The machine facts and library versions that differ between two reports, as "what: A → B". */
export function machineDifferences(a: BenchReport, b: BenchReport): string[] {
  const facts = (r: BenchReport): Record<string, string> => ({
    CPU: r.machine.cpu,
    cores: String(r.machine.cores),
    memory: `${(r.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB`,
    system: r.machine.os,
    Node: r.machine.node,
    Chromium: r.machine.chromium ?? 'not used',
    ...r.machine.libraries,
  });
  const x = facts(a);
  const y = facts(b);
  return [...new Set([...Object.keys(x), ...Object.keys(y)])]
    .filter((k) => x[k] !== y[k])
    .map((k) => `${k}: ${x[k] ?? 'absent'} → ${y[k] ?? 'absent'}`);
}

/**
 * Cell by cell, B against A, for every scenario both measured: a regression is a ratio worse than `threshold` in the
 * metric's bad direction (slower p50, fewer runs/s, a lower max rate), or a cell that ran in A and not in B.
 */
export function compareReports(a: BenchReport, b: BenchReport, threshold = 0.1): Comparison {
  const ids = [...new Set([...a.cells.map((c) => c.id), ...b.cells.map((c) => c.id)])];
  const rows: Comparison['rows'] = [];
  for (const id of ids) {
    const before = a.cells.find((c) => c.id === id);
    const after = b.cells.find((c) => c.id === id);
    const cell = (after ?? before) as CellResult;
    const base = { id, model: cell.model, target: cellTarget(cell) };
    if (!before || !after || before.status !== 'ok' || after.status !== 'ok') {
      const note = !before ? 'new in B' : !after ? 'missing in B' : `${before.status} → ${after.status}`;
      rows.push({ ...base, metric: 'status', regression: before?.status === 'ok', note });
      continue;
    }
    for (const metric of METRICS) {
      const x = metric.of(scenarioFiguresOf(before));
      const y = metric.of(scenarioFiguresOf(after));
      if ((x === undefined || x === null) && (y === undefined || y === null)) continue;
      const row: Comparison['rows'][number] = { ...base, metric: metric.name, regression: false };
      if (typeof x === 'number') row.before = x;
      if (typeof y === 'number') row.after = y;
      if (row.before !== undefined && row.after !== undefined && row.before > 0) {
        row.ratio = row.after / row.before;
        row.regression = metric.better === 'lower' ? row.ratio > 1 + threshold : row.ratio < 1 - threshold;
      } else {
        row.note =
          y === null
            ? 'none held in B'
            : row.before === undefined
              ? 'not measured in A'
              : row.after === undefined
                ? 'not measured in B'
                : 'zero in A';
        // A rate that held in A and none that holds in B is worse, not "not comparable".
        row.regression = metric.better === 'higher' && row.before !== undefined && row.before > 0 && y === null;
      }
      rows.push(row);
    }
  }
  return { rows, regressions: rows.filter((r) => r.regression).length, machineDifferences: machineDifferences(a, b) };
}

const figure = (v: number | undefined): string => (v === undefined ? '' : v >= 100 ? v.toFixed(0) : v.toFixed(2));

export function comparisonMarkdown(c: Comparison, threshold: number): string {
  const lines = c.machineDifferences.length
    ? [
        'A and B were measured on different set-ups: some of the difference is theirs.',
        '',
        ...c.machineDifferences.map((d) => `- ${d}`),
        '',
      ]
    : [];
  lines.push('| model | backend:device | metric | A | B | B/A | |', '|---|---|---|---|---|---|---|');
  for (const r of c.rows) {
    lines.push(
      `| ${r.model} | ${r.target} | ${r.metric} | ${figure(r.before)} | ${figure(r.after)} | ${r.ratio?.toFixed(3) ?? r.note ?? ''} | ${r.regression ? `regression (> ${(threshold * 100).toFixed(0)} % worse)` : ''} |`,
    );
  }
  lines.push('', `${c.regressions} regression(s)`);
  return `${lines.join('\n')}\n`;
}
