import type { ScenarioFigures } from '../scenarios.js';
import { rateHolds, sweepServerRates } from '../server-scenario.js';
import type { LoadScenario } from './load-scenario.js';
import { ms } from './load-scenario.js';

const twoDigits = (x: number): number => Number(x.toPrecision(2));

/**
 * Poisson arrivals at offered rates (MLPerf's server scenario): per rate the achieved rate and p99, and the highest
 * rate whose p99 stays under the bound. Rates and the bound default from single-stream and the concurrency sweep.
 */
export const server: LoadScenario = {
  name: 'server',
  after: ['single-stream', 'concurrency'],
  async run(subject, settings, earlier) {
    const s = settings.server;
    const steady = earlier.steady as ScenarioFigures['steady'];
    const capacity = Math.max(
      steady.throughput,
      ...(earlier.concurrency ?? []).filter((p) => p.inFlight <= s.workers).map((p) => p.throughput),
    );
    const rates = s.rates ?? s.loadFractions.map((f) => twoDigits(f * capacity));
    const derived = twoDigits(s.boundFactor * steady.p50);
    const latencyBoundMs = s.latencyBoundMs ?? Math.max(derived, s.minBoundMs);
    const boundSource =
      s.latencyBoundMs !== undefined
        ? 'given'
        : derived >= s.minBoundMs
          ? `${s.boundFactor} × single-stream p50`
          : `the ${s.minBoundMs} ms floor (${s.boundFactor} × p50 is ${derived} ms)`;
    const sweep = await sweepServerRates(subject.run, {
      rates,
      latencyBoundMs,
      durationMs: s.durationMs,
      minRequests: s.minRequests,
      maxDurationMs: s.maxDurationMs,
      workers: s.workers,
      seed: s.seed,
    });
    return { server: { ...sweep, boundSource } };
  },
  metrics: [{ name: 'server max rate under bound /s', better: 'higher', of: (f) => f.server?.maxRateUnderBound }],
  reportSection(rows) {
    const measured = rows.filter((r) => r.figures.server);
    if (measured.length === 0) return [];
    const lines = [
      'Server scenario (Poisson arrivals; queue = waiting for a worker, compute = the run):',
      '',
      '| backend:device | offered /s | issued /s | achieved /s | p50 | p90 | p99 | queue p99 | compute p99 | p99 ≤ bound |',
      '|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const { target, figures } of measured) {
      const sv = figures.server as NonNullable<ScenarioFigures['server']>;
      for (const p of sv.points) {
        lines.push(
          `| ${target} | ${p.offeredRate} | ${p.issuedRate.toFixed(1)} | ${p.achievedRate.toFixed(1)} | ${ms(p.latency.p50)} | ${ms(p.latency.p90)} | ${ms(p.latency.p99)} | ${ms(p.queue.p99)} | ${ms(p.compute.p99)} | ${rateHolds(p, sv.latencyBoundMs) ? '✓' : '✗'} |`,
        );
      }
    }
    lines.push('');
    for (const { target, figures } of measured) {
      const sv = figures.server as NonNullable<ScenarioFigures['server']>;
      lines.push(
        `- ${target}: max rate with p99 ≤ ${sv.latencyBoundMs} ms (${sv.boundSource}), ${sv.workers} worker(s): **${sv.maxRateUnderBound === null ? 'none of the rates offered' : `${sv.maxRateUnderBound} /s`}**`,
      );
    }
    return [...lines, ''];
  },
};
