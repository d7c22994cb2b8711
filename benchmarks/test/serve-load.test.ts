import { describe, expect, it } from 'vitest';
import { serveLoad, serveLoadTable } from '../src/serve-load.js';

// A short run of `pnpm bench:serve` (the README's figures come from its 30-second run): loopback only, bounded in
// time and count. What must hold whatever the machine's speed: nothing lost, nothing answered wrongly, 503s past
// capacity and a server still up.
describe('polyinfer serve under load', () => {
  it(
    '16 clients lose no request with or without dynamic batching; past capacity clients get 503 and the server stays up',
    { timeout: 180_000 },
    async () => {
      const report = await serveLoad({ seconds: 2, clients: 16, overloadSeconds: 2 });
      console.log(serveLoadTable(report));
      for (const phase of [report.floor, report.unbatched, report.batched]) {
        expect(phase.otherErrors).toEqual([]);
        expect(phase.refused503).toBe(0);
        expect(phase.answered).toBe(phase.sent);
        expect(phase.wrong).toBe(0);
        expect(phase.answered).toBeGreaterThan(16);
      }
      expect(report.overload.otherErrors).toEqual([]);
      expect(report.overload.refused503).toBeGreaterThan(0);
      expect(report.overload.answered + report.overload.refused503).toBe(report.overload.sent);
      expect(report.overload.wrong).toBe(0);
      expect(report.overload.aliveAfter).toBe(true);
    },
  );
});
