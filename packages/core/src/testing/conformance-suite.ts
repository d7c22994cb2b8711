import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Backend } from '../backend.js';
import type { ConformanceTarget } from './conformance-checks.js';
import { conformanceChecks, createConformanceContext } from './conformance-checks.js';

export interface ConformanceOptions extends Omit<ConformanceTarget, 'backend'> {
  /** Label of the describe block, e.g. "ort-node:cpu". */
  label?: string;
  createBackend: () => Backend | Promise<Backend>;
  /** Per-test timeout in ms (browser and software-GPU devices are slow). */
  timeout?: number;
}

/** The conformance checks as a vitest suite, one test per check. */
export function describeBackendConformance(options: ConformanceOptions): void {
  const timeout = options.timeout ?? 30_000;
  describe(options.label ?? `backend conformance (${options.device})`, { timeout }, () => {
    let ctx: ReturnType<typeof createConformanceContext>;
    beforeAll(async () => {
      ctx = createConformanceContext({ ...options, backend: await options.createBackend() });
    }, timeout);
    afterAll(() => ctx.close());
    for (const check of conformanceChecks) {
      it(check.name, (test) => {
        const skipped = check.skip?.({ ...options, backend: ctx.backend });
        if (skipped !== undefined) test.skip(skipped);
        return check.run(ctx);
      });
    }
  });
}
