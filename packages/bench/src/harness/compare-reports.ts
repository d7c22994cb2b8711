import type { BenchReport } from './harness.js';
import { cellTarget } from './report-markdown.js';

export interface Comparison {
  rows: { id: string; model: string; target: string; before?: number; after?: number; ratio?: number; regression: boolean; note?: string }[];
  regressions: number;
}

/** Cell by cell p50 ratios of B against A; a ratio above 1 + threshold is a regression. */
export function compareReports(a: BenchReport, b: BenchReport, threshold = 0.1): Comparison {
  const ids = [...new Set([...a.cells.map((c) => c.id), ...b.cells.map((c) => c.id)])];
  const rows = ids.map((id) => {
    const before = a.cells.find((c) => c.id === id);
    const after = b.cells.find((c) => c.id === id);
    const cell = (after ?? before) as NonNullable<typeof before>;
    const row: Comparison['rows'][number] = { id, model: cell.model, target: cellTarget(cell), regression: false };
    if (before?.steady) row.before = before.steady.p50;
    if (after?.steady) row.after = after.steady.p50;
    if (row.before !== undefined && row.after !== undefined) {
      row.ratio = row.after / row.before;
      row.regression = row.ratio > 1 + threshold;
    } else row.note = !before ? 'new in B' : !after ? 'missing in B' : `${before.status} → ${after.status}`;
    if (before?.status === 'ok' && after && after.status !== 'ok') row.regression = true;
    return row;
  });
  return { rows, regressions: rows.filter((r) => r.regression).length };
}

export function comparisonMarkdown(c: Comparison, threshold: number): string {
  const lines = ['| model | backend:device | p50 A ms | p50 B ms | B/A | |', '|---|---|---|---|---|---|'];
  for (const r of c.rows) {
    lines.push(`| ${r.model} | ${r.target} | ${r.before?.toFixed(2) ?? ''} | ${r.after?.toFixed(2) ?? ''} | ${r.ratio?.toFixed(3) ?? r.note ?? ''} | ${r.regression ? `regression (> ${(threshold * 100).toFixed(0)} %)` : ''} |`);
  }
  lines.push('', `${c.regressions} regression(s)`);
  return `${lines.join('\n')}\n`;
}
