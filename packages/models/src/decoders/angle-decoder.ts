import type { Decoder, Feeds } from '@polyinfer/core';
import { singleOutput } from './single-output.js';

export interface AngleResult {
  label: string;
  score: number;
}

export interface AngleMeta {
  count: number;
  /** Row → line, when a line was classified from several windows (their probabilities are averaged). */
  owners?: readonly number[];
}

/** Decodes an [N, K] text-angle classifier output (PP-OCR: labels "0" and "180"). */
export class AngleDecoder implements Decoder<AngleMeta, AngleResult[]> {
  constructor(private readonly labels: readonly string[] = ['0', '180']) {}

  decode(outputs: Feeds, meta: AngleMeta): AngleResult[] {
    const k = this.labels.length;
    const probs = singleOutput(outputs, 'angle', { ranks: [2], dims: [undefined, k], shape: `[N, ${k}]` });
    const data = probs.data;
    const rows = probs.dims[0] as number;
    const sums = new Float64Array(meta.count * k);
    const counts = new Float64Array(meta.count);
    for (let r = 0; r < rows; r++) {
      const line = meta.owners ? meta.owners[r] : r;
      if (line === undefined || line >= meta.count) continue;
      counts[line] = (counts[line] as number) + 1;
      for (let c = 0; c < k; c++) sums[line * k + c] = (sums[line * k + c] as number) + (data[r * k + c] as number);
    }
    const results: AngleResult[] = [];
    for (let i = 0; i < meta.count; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if ((sums[i * k + c] as number) > (sums[i * k + best] as number)) best = c;
      results.push({
        label: this.labels[best] as string,
        score: (sums[i * k + best] as number) / Math.max(1, counts[i] as number),
      });
    }
    return results;
  }
}
