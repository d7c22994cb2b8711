import { LOAD_SCENARIOS } from '@polyinfer/bench-core';
import type { CellResult } from './cell.js';
import { scenarioFiguresOf } from './cell.js';
import { REFERENCE, targetName } from './targets.js';
import type { BenchReport } from './harness.js';

const ms = (v: number | undefined): string =>
  v === undefined ? '' : v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2);
const mb = (v: number | undefined): string => (v === undefined ? '' : (v / 2 ** 20).toFixed(0));
export const cellTarget = (c: CellResult): string => targetName(c);

export function parityText(c: CellResult): string {
  const p = c.parity;
  if (!p) return '';
  if (p.problem) return `✗ ${p.problem}`;
  if (p.reference === c.id) return 'reference';
  if (p.relativeDiff !== undefined && p.maxAbsDiff !== undefined)
    return `${p.pass ? '✓' : '✗'} ${p.relativeDiff.toExponential(1)} of range (abs ${p.maxAbsDiff.toExponential(1)})`;
  const parts = [];
  if (p.textMatches !== undefined) parts.push(p.textMatches ? 'same text' : 'text differs');
  if (p.cer !== undefined) parts.push(`CER ${(p.cer * 100).toFixed(2)} %`);
  // A task cell's verdict (detections, top classes) has no figure of its own: it agreed or it names a problem.
  if (parts.length === 0) parts.push(p.pass ? 'same results as the reference' : 'differs from the reference');
  return `${p.pass ? '✓' : '✗'} ${parts.join(', ')}`;
}

function memoryText(c: CellResult): string {
  const m = c.memory;
  if (!m) return '';
  if (c.environment === 'chromium')
    return `${mb(m.peakProcessRssSumBytes)} Σ peak RSS (end PSS ${mb(m.endPssBytes)}, GPU proc ${mb(m.gpuProcessPssBytes)})`;
  return mb(m.peakRssBytes);
}

const spreadText = (spread: number | null): string =>
  spread === null ? 'too few windows' : `±${(spread * 100).toFixed(0)} %`;

/** A backend:device measured in Node and in Chromium: the browser's single-stream figures over Node's. */
function environmentRatioLines(cells: CellResult[]): string[] {
  const ok = cells.filter((c) => c.status === 'ok' && c.steady);
  const lines: string[] = [];
  for (const browser of ok.filter((c) => c.environment === 'chromium')) {
    const node = ok.find(
      (c) => c.environment === 'node' && c.backend === browser.backend && c.device === browser.device,
    );
    if (!node?.steady || !browser.steady) continue;
    lines.push(
      `| ${browser.backend}:${browser.device} | ${(browser.steady.p50 / node.steady.p50).toFixed(2)} | ${(browser.steady.mean / node.steady.mean).toFixed(2)} |`,
    );
  }
  return lines.length
    ? [
        'Chromium against Node, same backend and device (single-stream):',
        '',
        '| backend:device | Chromium ÷ Node p50 | Chromium ÷ Node mean |',
        '|---|---|---|',
        ...lines,
        '',
      ]
    : [];
}

/**
 * One model's figures as Markdown: a row per backend:device (cells that did not run say why), the Chromium ÷ Node
 * ratios, and each load scenario's own table. report.md prints it; report.html turns the same lines into tables.
 */
export function modelSectionLines(report: BenchReport, modelId: string): string[] {
  const cells = report.cells.filter((c) => c.model === modelId);
  const lines = [
    '| backend:device | status | create ms | first ms | p50 | p90 | p99 | mean | runs/s | concurrency 1/2/4 (runs/s) | memory MB | parity |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of cells) {
    if (c.status !== 'ok') {
      lines.push(
        `| ${cellTarget(c)} | ${c.status}: ${(c.reason ?? '').replace(/\|/g, '/').replace(/\s+/g, ' ').trim()} |||||||||||`,
      );
      continue;
    }
    const s = c.steady;
    const conc = c.concurrency
      ? c.concurrency.map((p) => `${p.throughput.toFixed(1)}${p.stable ? '' : '~'}`).join(' / ')
      : 'not measured';
    const flag = `${s && !s.complete ? ' (short run)' : ''}${s && !s.stable ? ` (unstable ${spreadText(s.spread)})` : ''}`;
    lines.push(
      `| ${cellTarget(c)} | ok${flag} | ${ms(c.sessionCreateMs)} | ${ms(c.firstInferenceMs)} | ${ms(s?.p50)} | ${ms(s?.p90)} | ${ms(s?.p99)} | ${ms(s?.mean)} | ${s?.throughput.toFixed(1) ?? ''} | ${conc} | ${memoryText(c)} | ${parityText(c)} |`,
    );
  }
  // Each load scenario's own section, in LOAD_SCENARIOS' order.
  const rows = cells.map((c) => ({ target: cellTarget(c), figures: scenarioFiguresOf(c) }));
  lines.push('', ...environmentRatioLines(cells), ...LOAD_SCENARIOS.flatMap((s) => s.reportSection?.(rows) ?? []));
  return lines;
}

/** How the figures were measured: scenarios, stability rule, memory and parity, in one paragraph. */
export function methodText(report: BenchReport): string {
  return `Scenarios: ${report.settings.scenarios.join(', ')}. Single-stream: ${report.settings.warmup} warm-up runs, then windows of ${report.settings.windowMs} ms until ${report.settings.stabilityWindows} in a row agree within ${(report.settings.stabilityTolerance * 100).toFixed(0)} % on throughput and p50 (perf_analyzer's rule; "unstable ±x %" otherwise, at most ${report.settings.maxDurationMs} ms) and hold ${report.settings.minCount} runs; reading outputs back is timed. Memory: peak RSS of the cell's process, sampled from a worker thread (Node); each browser process's peak RSS (kernel VmHWM) summed, and their PSS at the end (Chromium; nothing samples the browser while it runs). Parity: every output against ${targetName(REFERENCE)} — same names and dims, a reference that is not flat, and the max abs diff within 1e-4 of the reference output's range — or, for OCR, the text.`;
}

/** report.md: per model, one table row per backend:device; cells that did not run say why. */
export function markdownReport(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# polyinfer benchmark`,
    '',
    `${report.createdAt} · ${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB · ${m.os} · Node ${m.node}${m.chromium ? ` · Chromium ${m.chromium}` : ''}`,
    `· ${Object.entries(m.libraries)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ')}`,
    '',
    methodText(report),
    '',
  ];
  for (const model of report.models) lines.push(`## ${model.title}`, '', ...modelSectionLines(report, model.id));
  return `${lines.join('\n')}\n`;
}
