/** Minimal assertions for the conformance checks, which run in Node and in a browser page alike (no test runner there). */
export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
}

function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
}

export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (show(actual) !== show(expected))
    throw new ConformanceFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

export function assert(condition: unknown, what: string): asserts condition {
  if (!condition) throw new ConformanceFailure(what);
}
