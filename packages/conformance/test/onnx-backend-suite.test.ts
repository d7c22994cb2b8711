import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  conformanceMarkdown,
  DEBIAN_TEST_DATA,
  findTestCases,
  lostAgainstRaw,
  passingCases,
  RAW_ONNXRUNTIME,
  runConformance,
} from '@polyinfer/conformance';

const TARGETS = [RAW_ONNXRUNTIME, 'ort-node:cpu', 'ort-web:wasm', 'tfjs:wasm'];
const expectationFile = (target: string): string =>
  fileURLToPath(new URL(`../expectations/${target.replace(':', '-')}.txt`, import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/conformance/', import.meta.url));

// The CI guard: ONNX 1.12's backend test data as Debian packages it (node, pytorch-converted, pytorch-operator, simple),
// on every Node target, against the cases each target passed when its expectation file was last written.
describe("ONNX's backend test suite (Debian's libonnx-testdata)", () => {
  it(
    'every target passes what its expectation file lists; ort-node:cpu and ort-web:wasm pass all onnxruntime-node passes; tfjs:wasm gives no wrong value',
    async () => {
      if (!existsSync(DEBIAN_TEST_DATA))
        throw new Error(
          `ONNX's backend test data is missing at ${DEBIAN_TEST_DATA}: apt-get install libonnx-testdata (.ci/run does)`,
        );
      const cases = findTestCases(DEBIAN_TEST_DATA);
      // A generous limit per case: a loaded machine makes cases slow, and slow must not read as failed.
      const report = await runConformance({
        cases,
        targets: TARGETS,
        dataDirs: [DEBIAN_TEST_DATA],
        jobs: 2,
        timeoutMs: 300_000,
      });
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(`${ARTIFACTS}report.json`, JSON.stringify(report));
      writeFileSync(`${ARTIFACTS}report.md`, conformanceMarkdown(report));
      expect(report.targets.filter((t) => t.unavailable)).toEqual([]);
      for (const target of TARGETS) {
        const expected = readFileSync(expectationFile(target), 'utf8').split('\n').filter(Boolean);
        const passing = new Set(passingCases(report, target));
        const lost = expected
          .filter((id) => !passing.has(id))
          .map(
            (id) => `${id}: ${report.outcomes[target]?.[id]?.status} ${report.outcomes[target]?.[id]?.detail ?? ''}`,
          );
        const gained = [...passing].filter((id) => !expected.includes(id));
        // Newly passing cases are good news, written into the expectation file on purpose (polyinfer conformance --write-expectations).
        if (gained.length > 0)
          console.log(
            `${target} now passes ${gained.length} case(s) its expectation file does not list: ${gained.join(', ')}`,
          );
        expect(lost, `${target}: cases that passed and now do not`).toEqual([]);
      }
      for (const target of ['ort-node:cpu', 'ort-web:wasm'])
        expect(lostAgainstRaw(report, target), `${target} against onnxruntime-node`).toEqual([]);
      // polyinfer's own importer answers correctly or refuses: a wrong value on tfjs is a bug, whatever passed before.
      const wrong = Object.entries(report.outcomes['tfjs:wasm'] ?? {})
        .filter(([, o]) => o.status === 'wrong')
        .map(([id, o]) => `${id}: ${o.detail ?? ''}`);
      expect(wrong, 'tfjs:wasm cases with wrong values').toEqual([]);
    },
    60 * 60_000,
  );
});
