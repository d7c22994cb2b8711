import type { CellResult } from './cell.js';
import type { BenchReport } from './harness.js';

const ms = (v: number | undefined): string => (v === undefined ? '' : v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2));
const mb = (v: number | undefined): string => (v === undefined ? '' : (v / 2 ** 20).toFixed(0));
export const cellTarget = (c: CellResult): string => `${c.backend}:${c.device}${c.environment === 'chromium' ? ' (chromium)' : ''}`;

function parityText(c: CellResult): string {
  const p = c.parity;
  if (!p) return '';
  if (p.problem) return `✗ ${p.problem}`;
  if (p.reference === c.id) return 'reference';
  if (p.relativeDiff !== undefined && p.maxAbsDiff !== undefined) return `${p.pass ? '✓' : '✗'} ${p.relativeDiff.toExponential(1)} of range (abs ${p.maxAbsDiff.toExponential(1)})`;
  const parts = [];
  if (p.textMatches !== undefined) parts.push(p.textMatches ? 'same text' : 'text differs');
  if (p.cer !== undefined) parts.push(`CER ${(p.cer * 100).toFixed(2)} %`);
  return `${p.pass ? '✓' : '✗'} ${parts.join(', ')}`;
}

function memoryText(c: CellResult): string {
  const m = c.memory;
  if (!m) return '';
  if (c.environment === 'chromium') return `${mb(m.peakPssBytes)} PSS (GPU proc ${mb(m.gpuProcessPssBytes)})`;
  return mb(m.peakRssBytes);
}

/** report.md: per model, one table row per backend:device; cells that did not run say why. */
export function markdownReport(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# polyinfer benchmark`,
    '',
    `${report.createdAt} · ${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB · ${m.os} · Node ${m.node}${m.chromium ? ` · Chromium ${m.chromium}` : ''}`,
    `· ${Object.entries(m.libraries).map(([k, v]) => `${k} ${v}`).join(' · ')}`,
    '',
    `Steady state: ${report.settings.warmup} warm-up runs, then at least ${report.settings.minDurationMs} ms and ${report.settings.minCount} runs (at most ${report.settings.maxDurationMs} ms); reading outputs back is timed. Memory: peak RSS of the cell's process, sampled from a worker thread (Node); peak of the PSS summed over the browser's processes, sampled every 250 ms (Chromium). Parity: every output against ort-node:cpu — same names and dims, a reference that is not flat, and the max abs diff within 1e-4 of the reference output's range — or, for OCR, the text.`,
    '',
  ];
  for (const model of report.models) {
    const cells = report.cells.filter((c) => c.model === model.id);
    lines.push(`## ${model.title}`, '', '| backend:device | status | create ms | first ms | p50 | p90 | p99 | mean | runs/s | concurrency 1/2/4 (runs/s) | memory MB | parity |', '|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const c of cells) {
      if (c.status !== 'ok') {
        lines.push(`| ${cellTarget(c)} | ${c.status}: ${(c.reason ?? '').replace(/\|/g, '/').replace(/\s+/g, ' ').trim()} |||||||||||`);
        continue;
      }
      const s = c.steady;
      const conc = c.concurrency ? c.concurrency.map((p) => p.throughput.toFixed(1)).join(' / ') : 'not measured';
      const flag = s && !s.complete ? ' (short run)' : '';
      lines.push(`| ${cellTarget(c)} | ok${flag} | ${ms(c.sessionCreateMs)} | ${ms(c.firstInferenceMs)} | ${ms(s?.p50)} | ${ms(s?.p90)} | ${ms(s?.p99)} | ${ms(s?.mean)} | ${s?.throughput.toFixed(1) ?? ''} | ${conc} | ${memoryText(c)} | ${parityText(c)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
