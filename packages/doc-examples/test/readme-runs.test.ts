import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from '@polyinfer/core';
import { extractExamples } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Beside the package, so that its imports resolve as a user's would: to the built packages through node_modules.
const HERE = join(ROOT, 'packages', 'doc-examples', '.examples');
const work = mkdtempSync(join(tmpdir(), 'readme-run-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the README's first example", () => {
  it(
    'runs as written, on a model of the shape it feeds: it says where it ran and why CUDA was skipped',
    { timeout: 120_000 },
    async () => {
      const [first] = extractExamples('README.md', readFileSync(join(ROOT, 'README.md'), 'utf8'));
      expect(first?.code).toContain("createSession('model.onnx'");
      // model.onnx: one input of the shape the example feeds, float32 [1, 3, 224, 224].
      writeFileSync(
        join(work, 'model.onnx'),
        buildOnnxModel({
          inputs: [{ name: 'pixels', dtype: 'float32', dims: [1, 3, 224, 224] }],
          outputs: [{ name: 'activated', dtype: 'float32', dims: [1, 3, 224, 224] }],
          nodes: [{ op: 'Relu', inputs: ['pixels'], outputs: ['activated'] }],
        }),
      );
      const js = ts.transpileModule(`${first!.code}\nconsole.log(JSON.stringify(Object.keys(outputs)));\n`, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      mkdirSync(HERE, { recursive: true });
      const script = join(HERE, `readme-first-${process.pid}.mjs`);
      writeFileSync(script, js);
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [script], { cwd: work });
        const lines = stdout.trim().split('\n');
        expect(lines[0]).toMatch(/^ort-node (cuda|cpu)$/);
        // Without CUDA's provider libraries (as here) the chain fell back and said why.
        if (lines[0] === 'ort-node cpu') expect(lines.some((l) => /^skipped cuda: .*cuda/i.test(l))).toBe(true);
        expect(lines.at(-1)).toBe('["activated"]');
      } finally {
        rmSync(script, { force: true });
      }
    },
  );
});
