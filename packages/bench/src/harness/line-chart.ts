import { chartScale, tickLabel as tick } from './chart-scale.js';

/** A small inline-SVG line chart for report.html (no script, no external file). */
export interface LineSeries {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
  /** A horizontal reference line for this series (a latency bound). */
  limit?: number;
}

export interface LineChartSpec {
  /** aria-label of the svg: what the chart shows. */
  label: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The x axis is labelled at the measured points (runs in flight 1, 2, 4; the offered rates), not at fractions of the
 * range: at most eight of them, evenly picked, the first and last always.
 */
function xTicks(xs: readonly number[]): number[] {
  const points = [...new Set(xs)].sort((a, b) => a - b);
  if (points.length <= 8) return points;
  return Array.from({ length: 8 }, (_, i) => points[Math.round((i * (points.length - 1)) / 7)] as number);
}

export function lineChart(spec: LineChartSpec): string {
  const drawn = spec.series.filter((s) => s.points.some(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  if (drawn.length === 0) return '';
  const left = 60;
  const top = 12;
  const width = 520;
  const height = 220;
  const xs = drawn.flatMap((s) => s.points.map(([x]) => x)).filter(Number.isFinite);
  const ys = drawn
    .flatMap((s) => [...s.points.map(([, y]) => y), ...(s.limit === undefined ? [] : [s.limit])])
    .filter(Number.isFinite);
  const xMax = Math.max(...xs) * 1.05 || 1;
  // Latency against load climbs by decades once the runs fall behind: a log axis keeps the low rates readable.
  const yScale = chartScale(ys);
  const px = (x: number): string => (left + (x / xMax) * width).toFixed(1);
  const py = (y: number): string => (top + height - yScale.at(y) * height).toFixed(1);
  const axes =
    `<line x1="${left}" y1="${top + height}" x2="${left + width}" y2="${top + height}" stroke="#111"/>` +
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + height}" stroke="#111"/>` +
    yScale.ticks
      .map((y) => `<text class="y-tick" x="${left - 6}" y="${Number(py(y)) + 4}" text-anchor="end">${tick(y)}</text>`)
      .join('') +
    xTicks(xs)
      .map(
        (x) =>
          `<line class="x-tick" x1="${px(x)}" x2="${px(x)}" y1="${top + height}" y2="${top + height + 4}" stroke="#111"/>` +
          `<text class="x-tick" x="${px(x)}" y="${top + height + 16}" text-anchor="middle">${Number.isInteger(x) ? String(x) : tick(x)}</text>`,
      )
      .join('') +
    `<text x="${left + width / 2}" y="${top + height + 34}" text-anchor="middle">${escape(spec.xLabel)}</text>` +
    `<text x="14" y="${top + height / 2}" transform="rotate(-90 14 ${top + height / 2})" text-anchor="middle">${escape(spec.yLabel)}${yScale.kind === 'log' ? ' (log scale)' : ''}</text>`;
  const lines = drawn
    .map((s, i) => {
      const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).sort((a, b) => a[0] - b[0]);
      const dash = s.dashed ? ' stroke-dasharray="6 3"' : '';
      const limit =
        s.limit === undefined
          ? ''
          : `<line class="limit" x1="${left}" x2="${left + width}" y1="${py(s.limit)}" y2="${py(s.limit)}" stroke="${s.color}" stroke-dasharray="2 4"><title>${escape(s.name)} bound ${tick(s.limit)}</title></line>`;
      return (
        `<g class="series"><polyline class="line" fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}"/>` +
        pts
          .map(
            ([x, y]) =>
              `<circle class="point" cx="${px(x)}" cy="${py(y)}" r="3" fill="${s.color}"><title>${escape(s.name)}: ${tick(x)}, ${tick(y)}</title></circle>`,
          )
          .join('') +
        `${limit}<text x="${left + width + 8}" y="${top + 12 + i * 16}" fill="${s.color}">${escape(s.name)}</text></g>`
      );
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="${escape(spec.label)}" data-scale="${yScale.kind}" width="${left + width + 220}" height="${top + height + 44}">${axes}${lines}</svg>`;
}
