/** A value axis for report.html's charts: linear from 0, or logarithmic where the values span two decades or more. */
export interface ChartScale {
  kind: 'linear' | 'log';
  /** The position of a value along the axis, 0 (start) to 1 (end). */
  at(value: number): number;
  /** Values to label: 0, half and the top (linear); each decade (log). */
  ticks: number[];
}

export const tickLabel = (v: number): string =>
  v >= 100 || Number.isInteger(v)
    ? v.toFixed(0)
    : v >= 10
      ? v.toFixed(1)
      : v >= 0.01
        ? String(Number(v.toPrecision(2)))
        : v.toExponential(0);

/**
 * Latencies of an OCR pipeline and of a 1 ms classifier in one chart: on a linear axis the classifier is a pixel, so
 * a span of 100× or more is drawn on decades.
 */
export function chartScale(values: readonly number[], headroom = 1.1): ChartScale {
  const finite = values.filter((v) => Number.isFinite(v));
  const max = Math.max(...finite, 0);
  const positive = finite.filter((v) => v > 0);
  const min = Math.min(...positive);
  if (positive.length === finite.length && positive.length > 1 && max / min >= 100) {
    const lo = Math.floor(Math.log10(min));
    const hi = Math.ceil(Math.log10(max * headroom));
    const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
    return { kind: 'log', at: (v) => (Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo), ticks };
  }
  const top = max * headroom || 1;
  return { kind: 'linear', at: (v) => v / top, ticks: [0, top / 2, top] };
}
