import { BACKEND_CATALOGUE } from '@polyinfer/backends';
import type { CellResult } from './cell.js';
import { peakMemoryBytes } from './cell.js';
import type { BenchReport } from './harness.js';
import { lineChart } from './line-chart.js';
import { cellTarget, markdownReport } from './report-markdown.js';

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** One colour per backend, in catalogue order; grey for one it does not list. */
const PALETTE = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2'];
const COLORS: Record<string, string> = Object.fromEntries(
  BACKEND_CATALOGUE.map((e, i) => [e.name, PALETTE[i % PALETTE.length] as string]),
);

/** Horizontal bars of p50 latency with a whisker from min to p99, one per backend:device that ran. */
function latencyChart(cells: CellResult[]): string {
  const ok = cells.filter((c) => c.status === 'ok' && c.steady);
  if (ok.length === 0) return '<p class="none">No cell of this model ran here.</p>';
  const max = Math.max(...ok.map((c) => c.steady?.p99 ?? 0)) * 1.1;
  const row = 26;
  const left = 220;
  const width = 560;
  const x = (v: number): number => left + (v / max) * width;
  const bars = ok
    .map((c, i) => {
      const s = c.steady as NonNullable<CellResult['steady']>;
      const y = 10 + i * row;
      return (
        `<g class="latency"><text x="${left - 8}" y="${y + 14}" text-anchor="end">${escape(cellTarget(c))}</text>` +
        `<rect class="bar" x="${left}" y="${y + 3}" width="${(x(s.p50) - left).toFixed(1)}" height="14" fill="${COLORS[c.backend] ?? '#6b7280'}"><title>p50 ${s.p50.toFixed(2)} ms</title></rect>` +
        `<line class="whisker" x1="${x(s.min).toFixed(1)}" x2="${x(s.p99).toFixed(1)}" y1="${y + 10}" y2="${y + 10}" stroke="#111" />` +
        `<line x1="${x(s.p90).toFixed(1)}" x2="${x(s.p90).toFixed(1)}" y1="${y + 5}" y2="${y + 15}" stroke="#111" />` +
        `<text x="${(x(s.p99) + 6).toFixed(1)}" y="${y + 14}">${s.p50.toFixed(1)} ms</text></g>`
      );
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="latency" width="${left + width + 90}" height="${20 + ok.length * row}">${bars}</svg>`;
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

/** report.html: self-contained (inline SVG and CSS, no script, no CDN). */
export function htmlReport(report: BenchReport): string {
  const sections = report.models
    .map((model) => {
      const cells = report.cells.filter((c) => c.model === model.id);
      const notRun = cells.filter((c) => c.status !== 'ok');
      const list = notRun.length
        ? `<ul class="not-run">${notRun.map((c) => `<li><b>${escape(cellTarget(c))}</b> ${c.status}: ${escape(c.reason ?? '')}</li>`).join('')}</ul>`
        : '';
      return `<section><h2>${escape(model.title)}</h2><h3>Latency (bar p50, whisker min–p99, tick p90)</h3>${latencyChart(cells)}${concurrencyChart(cells)}${serverChart(cells)}<h3>Peak memory</h3>${memoryChart(cells)}${list}</section>`;
    })
    .join('\n');
  const table = escape(markdownReport(report));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>polyinfer benchmark ${escape(report.createdAt)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#111}svg text{font:12px system-ui,sans-serif}section{margin-bottom:2rem}.not-run li{color:#92400e}pre{background:#f5f5f5;padding:1rem;overflow:auto;font-size:12px}</style></head>
<body><h1>polyinfer benchmark</h1><p>${escape(report.machine.cpu)}, ${report.machine.cores} cores · ${escape(report.machine.os)} · Node ${escape(report.machine.node)}${report.machine.chromium ? ` · Chromium ${escape(report.machine.chromium)}` : ''} · ${escape(report.createdAt)}</p>
${sections}
<h2>All figures</h2><pre>${table}</pre></body></html>
`;
}
