import { describe, expect, it } from 'vitest';
import { lineChart } from '../src/harness/line-chart.js';

const xLabels = (svg: string): string[] =>
  [...svg.matchAll(/<text class="x-tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);

describe('lineChart', () => {
  it('labels the x axis at the measured points (1, 2, 4 runs in flight), not at fractions of the range', () => {
    const svg = lineChart({
      label: 'throughput-vs-concurrency',
      xLabel: 'runs in flight',
      yLabel: 'runs/s',
      series: [
        {
          name: 'ort-node:cpu',
          color: '#000',
          points: [
            [1, 10],
            [2, 18],
            [4, 21],
          ],
        },
        {
          name: 'tfjs:wasm',
          color: '#111',
          points: [
            [1, 5],
            [2, 5],
          ],
        },
      ],
    });
    expect(xLabels(svg)).toEqual(['1', '2', '4']);
  });

  it('keeps at most eight labels, the first and last measured points among them', () => {
    const rates = Array.from({ length: 20 }, (_, i) => (i + 1) * 2.5);
    const svg = lineChart({
      label: 'latency-vs-load',
      xLabel: 'offered requests/s',
      yLabel: 'p99 ms',
      series: [{ name: 'a', color: '#000', points: rates.map((r) => [r, r / 10] as [number, number]) }],
    });
    const labels = xLabels(svg);
    expect(labels).toHaveLength(8);
    expect(labels[0]).toBe('2.5');
    expect(labels.at(-1)).toBe('50');
  });
});
