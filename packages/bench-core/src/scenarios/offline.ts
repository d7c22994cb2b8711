import { measureOffline } from '../offline-scenario.js';
import type { OfflineFigures } from '../scenarios.js';
import type { LoadScenario } from './load-scenario.js';

/** Every sample available at once: samples per second one at a time, and batched where the subject can batch. */
export const offline: LoadScenario = {
  name: 'offline',
  // As many in flight as served best in the concurrency sweep, when it ran: offline asks for the maximum.
  after: ['concurrency'],
  async run(subject, settings, earlier) {
    const inFlight =
      earlier.concurrency?.reduce((best, p) => (p.throughput > best.throughput ? p : best)).inFlight ?? 1;
    const { samples, batchSize } = settings.offline;
    const figures: OfflineFigures = {
      unbatched: await measureOffline(subject.run, { calls: samples, samplesPerCall: 1, inFlight }),
    };
    const batch = subject.batch ? await subject.batch(batchSize) : 'this subject does not batch';
    if (typeof batch === 'string') figures.batchedUnavailable = batch;
    else {
      figures.batched = await measureOffline(batch.run, {
        calls: Math.max(1, Math.round(samples / batchSize)),
        samplesPerCall: batchSize,
        inFlight,
      });
      if (batch.parity) figures.batchParity = batch.parity;
    }
    return { offline: figures };
  },
  metrics: [
    { name: 'offline samples/s', better: 'higher', of: (f) => f.offline?.unbatched.throughput },
    { name: 'offline batched samples/s', better: 'higher', of: (f) => f.offline?.batched?.throughput },
  ],
  reportSection(rows) {
    const measured = rows.filter((r) => r.figures.offline);
    if (measured.length === 0) return [];
    const lines = [
      'Offline scenario (every sample available at once):',
      '',
      '| backend:device | in flight | unbatched samples/s | batched samples/s | batched ÷ unbatched | batch rows = single |',
      '|---|---|---|---|---|---|',
    ];
    for (const { target, figures } of measured) {
      const o = figures.offline as OfflineFigures;
      const batched = o.batched
        ? `${o.batched.throughput.toFixed(1)} (batch ${o.batched.samplesPerCall})`
        : `n/a: ${o.batchedUnavailable ?? ''}`;
      const ratio = o.batched ? (o.batched.throughput / o.unbatched.throughput).toFixed(2) : '';
      const parity = o.batchParity
        ? `${o.batchParity.pass ? '✓' : '✗'} ${o.batchParity.problem ?? o.batchParity.maxRelativeDiff.toExponential(1)}`
        : '';
      lines.push(
        `| ${target} | ${o.unbatched.inFlight} | ${o.unbatched.throughput.toFixed(1)} | ${batched} | ${ratio} | ${parity} |`,
      );
    }
    return [...lines, ''];
  },
};
