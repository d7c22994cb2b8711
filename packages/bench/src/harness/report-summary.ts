import type { CellResult } from './cell.js';
import type { BenchReport } from './harness.js';
import { cellTarget, parityText } from './report-markdown.js';

/** What a reader wants first of one model: who was fastest, how each target compares, who agreed, who could not run. */
export interface ModelSummary {
  modelId: string;
  title: string;
  /** The target with the lowest single-stream p50. */
  fastest?: { target: string; p50: number };
  /** The parity reference (onnxruntime-node CPU), when it ran. */
  reference?: { target: string; p50: number };
  /** Every target that ran: its p50 over the reference's (1 = the reference's speed; < 1 faster), and its parity. */
  targets: { target: string; p50: number; ratio?: number; parity: string; parityPass?: boolean }[];
  notRun: { target: string; status: CellResult['status']; reason: string }[];
}

export function summariseReport(report: BenchReport): ModelSummary[] {
  return report.models.map((model) => {
    const cells = report.cells.filter((c) => c.model === model.id);
    const ran = cells.filter((c): c is CellResult & { steady: NonNullable<CellResult['steady']> } =>
      Boolean(c.status === 'ok' && c.steady),
    );
    const referenceCell = ran.find((c) => c.parity?.reference === c.id);
    const fastestCell = [...ran].sort((a, b) => a.steady.p50 - b.steady.p50)[0];
    return {
      modelId: model.id,
      title: model.title,
      ...(fastestCell ? { fastest: { target: cellTarget(fastestCell), p50: fastestCell.steady.p50 } } : {}),
      ...(referenceCell ? { reference: { target: cellTarget(referenceCell), p50: referenceCell.steady.p50 } } : {}),
      targets: ran.map((c) => ({
        target: cellTarget(c),
        p50: c.steady.p50,
        ...(referenceCell ? { ratio: c.steady.p50 / referenceCell.steady.p50 } : {}),
        parity: parityText(c) || 'not checked',
        ...(c.parity && c !== referenceCell ? { parityPass: c.parity.pass } : {}),
      })),
      notRun: cells
        .filter((c) => c.status !== 'ok')
        .map((c) => ({
          target: cellTarget(c),
          status: c.status,
          reason: (c.reason ?? '').replace(/\s+/g, ' ').trim(),
        })),
    };
  });
}
