import { BACKEND_CATALOGUE } from '@polyinfer/backends';
import type { CellResult } from './cell.js';
import { peakMemoryBytes } from './cell.js';
import { chartScale, tickLabel } from './chart-scale.js';
import type { BenchReport } from './harness.js';
import { lineChart } from './line-chart.js';
import { markdownBlocksToHtml, SORT_SCRIPT } from './markdown-tables-html.js';
import { cellTarget, methodText, modelSectionLines } from './report-markdown.js';
import { summariseReport } from './report-summary.js';

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** One colour per backend, in catalogue order; grey for one it does not list. */
const PALETTE = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2'];
const COLORS: Record<string, string> = Object.fromEntries(
  BACKEND_CATALOGUE.map((e, i) => [e.name, PALETTE[i % PALETTE.length] as string]),
);
const slug = (id: string): string => `model-${id.replace(/[^a-z0-9-]/gi, '-')}`;

/**
 * Horizontal bars of p50 latency with a whisker from min to p99 and a tick at p90, one per backend:device that ran,
 * over an axis that is logarithmic where the figures span two decades.
 */
function latencyChart(cells: CellResult[]): string {
  const ok = cells.filter((c) => c.status === 'ok' && c.steady);
  if (ok.length === 0) return '<p class="none">No cell of this model ran here.</p>';
  const scale = chartScale(ok.flatMap((c) => [c.steady!.min, c.steady!.p99]));
  const row = 26;
  const left = 220;
  const width = 560;
  const x = (v: number): number => left + scale.at(v) * width;
  const bars = ok
    .map((c, i) => {
      const s = c.steady as NonNullable<CellResult['steady']>;
      const y = 10 + i * row;
      return (
        `<g class="latency"><text x="${left - 8}" y="${y + 14}" text-anchor="end">${escape(cellTarget(c))}</text>` +
        `<rect class="bar" x="${left}" y="${y + 3}" width="${Math.max(1, x(s.p50) - left).toFixed(1)}" height="14" fill="${COLORS[c.backend] ?? '#6b7280'}"><title>p50 ${s.p50.toFixed(2)} ms</title></rect>` +
        `<line class="whisker" x1="${x(s.min).toFixed(1)}" x2="${x(s.p99).toFixed(1)}" y1="${y + 10}" y2="${y + 10}" stroke="#111" />` +
        `<line x1="${x(s.p90).toFixed(1)}" x2="${x(s.p90).toFixed(1)}" y1="${y + 5}" y2="${y + 15}" stroke="#111" />` +
        `<text x="${(x(s.p99) + 6).toFixed(1)}" y="${y + 14}">${s.p50.toFixed(1)} ms</text></g>`
      );
    })
    .join('');
  const axisY = 14 + ok.length * row;
  const axis =
    `<line x1="${left}" x2="${left + width}" y1="${axisY}" y2="${axisY}" stroke="#111"/>` +
    scale.ticks
      .map(
        (t) =>
          `<line class="x-tick" x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${axisY}" y2="${axisY + 4}" stroke="#111"/>` +
          `<text class="x-tick" x="${x(t).toFixed(1)}" y="${axisY + 16}" text-anchor="middle">${tickLabel(t)}</text>`,
      )
      .join('') +
    `<text x="${left + width / 2}" y="${axisY + 32}" text-anchor="middle">ms${scale.kind === 'log' ? ' (log scale)' : ''}</text>`;
  return `<svg class="chart" role="img" aria-label="latency" data-scale="${scale.kind}" width="${left + width + 90}" height="${axisY + 40}">${bars}${axis}</svg>`;
}

function memoryChart(cells: CellResult[]): string {
  const ok = cells.filter((c) => c.status === 'ok' && peakMemoryBytes(c.memory));
  if (ok.length === 0) return '';
  const max = Math.max(...ok.map((c) => peakMemoryBytes(c.memory) ?? 0)) * 1.1;
  const row = 22;
  const left = 220;
  const width = 560;
  const bars = ok
    .map((c, i) => {
      const bytes = peakMemoryBytes(c.memory) ?? 0;
      const y = 8 + i * row;
      return (
        `<g class="memory"><text x="${left - 8}" y="${y + 13}" text-anchor="end">${escape(cellTarget(c))}</text>` +
        `<rect class="bar" x="${left}" y="${y + 3}" width="${((bytes / max) * width).toFixed(1)}" height="12" fill="${COLORS[c.backend] ?? '#6b7280'}" opacity="0.6" />` +
        `<text x="${(left + (bytes / max) * width + 6).toFixed(1)}" y="${y + 13}">${(bytes / 2 ** 20).toFixed(0)} MB</text></g>`
      );
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="memory" width="${left + width + 90}" height="${16 + ok.length * row}">${bars}</svg>`;
}

const seriesOf = (c: CellResult, points: [number, number][], limit?: number) => ({
  name: cellTarget(c),
  color: COLORS[c.backend] ?? '#6b7280',
  dashed: c.environment === 'chromium',
  points,
  ...(limit === undefined ? {} : { limit }),
});

/** Throughput against runs in flight: flat where a backend queues its runs. */
function concurrencyChart(cells: CellResult[]): string {
  const swept = cells.filter((c) => c.concurrency && c.concurrency.length > 0);
  if (swept.length === 0) return '';
  const chart = lineChart({
    label: 'throughput-vs-concurrency',
    xLabel: 'runs in flight',
    yLabel: 'runs/s',
    series: swept.map((c) =>
      seriesOf(
        c,
        (c.concurrency ?? []).map((p) => [p.inFlight, p.throughput]),
      ),
    ),
  });
  return `<h3>Throughput against concurrency</h3>${chart}`;
}

/** p99 latency against the offered rate of the server scenario, each with its bound dotted. */
function serverChart(cells: CellResult[]): string {
  const served = cells.filter((c) => c.server);
  if (served.length === 0) return '';
  const chart = lineChart({
    label: 'latency-vs-load',
    xLabel: 'offered requests/s (Poisson)',
    yLabel: 'p99 latency ms',
    series: served.map((c) =>
      seriesOf(
        c,
        (c.server?.points ?? []).map((p) => [p.offeredRate, p.latency.p99]),
        c.server?.latencyBoundMs,
      ),
    ),
  });
  return `<h3>p99 latency against offered load (dotted: the bound)</h3>${chart}`;
}

/** Where and with what the figures were measured: they mean little without it. */
function machineHeader(report: BenchReport): string {
  const m = report.machine;
  const rows: [string, string][] = [
    ['measured', `${report.createdAt} (${(report.durationMs / 1000).toFixed(0)} s in all)`],
    ['CPU', `${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB`],
    ['system', m.os],
    ['Node', m.node],
    ['Chromium', m.chromium ?? 'not used'],
    ...Object.entries(m.libraries),
  ];
  return `<table class="machine"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(v)}</td></tr>`).join('')}</tbody></table>`;
}

function summarySection(report: BenchReport): string {
  const summaries = summariseReport(report);
  const rows = summaries
    .map((s) => {
      const others = s.targets.filter((t) => t.target !== s.reference?.target);
      const ratios = others.length
        ? others
            .map((t) => `${escape(t.target)} <b>${t.ratio === undefined ? '–' : `${t.ratio.toFixed(2)}×`}</b>`)
            .join('<br>')
        : '–';
      const failed = others.filter((t) => t.parityPass === false);
      const checked = others.filter((t) => t.parityPass !== undefined);
      const parity =
        checked.length === 0
          ? 'not compared'
          : failed.length === 0
            ? `<span class="pass">✓ all ${checked.length} agree</span>`
            : failed.map((t) => `<span class="fail">${escape(t.target)}: ${escape(t.parity)}</span>`).join('<br>');
      return (
        `<tr><th scope="row"><a href="#${slug(s.modelId)}">${escape(s.title)}</a></th>` +
        `<td data-value="${s.fastest?.p50 ?? ''}">${s.fastest ? `${escape(s.fastest.target)} (${tickLabel(s.fastest.p50)} ms)` : 'nothing ran'}</td>` +
        `<td data-value="${s.reference?.p50 ?? ''}">${s.reference ? tickLabel(s.reference.p50) : 'did not run'}</td>` +
        `<td>${ratios}</td><td>${parity}</td><td data-value="${s.notRun.length}">${s.notRun.length}</td></tr>`
      );
    })
    .join('');
  const reasons = new Map<string, { status: string; reason: string; targets: Set<string>; models: Set<string> }>();
  for (const s of summaries)
    for (const n of s.notRun) {
      const key = `${n.target}\u0000${n.status}\u0000${n.reason}`;
      const entry = reasons.get(key) ?? { status: n.status, reason: n.reason, targets: new Set(), models: new Set() };
      entry.targets.add(n.target);
      entry.models.add(s.title);
      reasons.set(key, entry);
    }
  const notRun = reasons.size
    ? `<h3>Not run, and why</h3><table class="sortable not-run-table"><thead><tr><th scope="col"><button type="button">target</button></th><th scope="col"><button type="button">status</button></th><th scope="col"><button type="button">models</button></th><th scope="col"><button type="button">reason</button></th></tr></thead><tbody>${[
        ...reasons.values(),
      ]
        .map(
          (r) =>
            `<tr><th scope="row">${escape([...r.targets].join(', '))}</th><td>${escape(r.status)}</td><td data-value="${r.models.size}">${r.models.size}</td><td>${escape(r.reason)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const referenceName = summaries.find((s) => s.reference)?.reference?.target ?? 'the reference';
  return (
    `<section id="summary"><h2>Summary</h2><p>Per model: the fastest target by single-stream p50; each other target's p50 over ${escape(referenceName)}'s (below 1× is faster); whether every output agreed with the reference's.</p>` +
    `<table class="sortable summary"><thead><tr>${['model', 'fastest (p50)', 'reference p50 ms', 'p50 ÷ reference', 'parity', 'not run'].map((h) => `<th scope="col"><button type="button">${escape(h)}</button></th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>${notRun}</section>`
  );
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:2rem;color:#111;max-width:1200px}svg text{font:12px system-ui,sans-serif}
section{margin-bottom:2.5rem}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:13px}th,td{border:1px solid #d4d4d8;padding:3px 8px;text-align:left;vertical-align:top}
td[data-value]{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#f4f4f5}thead th button{all:unset;cursor:pointer;font-weight:600}
thead th[aria-sort=ascending] button::after{content:" ▲"}thead th[aria-sort=descending] button::after{content:" ▼"}
tr.not-run td,.fail{color:#92400e}.pass{color:#166534}table.machine th{background:#f4f4f5;font-weight:600}`;

/**
 * report.html: a page people read — the machine in a header, a summary on top, then per model the charts and the
 * figures as tables that sort by any column. Self-contained: inline SVG, CSS and one small script, nothing fetched.
 */
export function htmlReport(report: BenchReport): string {
  const sections = report.models
    .map((model) => {
      const cells = report.cells.filter((c) => c.model === model.id);
      return (
        `<section id="${slug(model.id)}"><h2>${escape(model.title)}</h2>` +
        `<h3>Latency (bar p50, whisker min–p99, tick p90)</h3>${latencyChart(cells)}${concurrencyChart(cells)}${serverChart(cells)}` +
        `<h3>Peak memory</h3>${memoryChart(cells)}<h3>Figures</h3>${markdownBlocksToHtml(modelSectionLines(report, model.id))}</section>`
      );
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>polyinfer benchmark ${escape(report.createdAt)}</title>
<style>${STYLE}</style></head>
<body><h1>polyinfer benchmark</h1>${machineHeader(report)}<p class="method">${escape(methodText(report))}</p>
${summarySection(report)}
${sections}
<script>${SORT_SCRIPT}</script></body></html>
`;
}
