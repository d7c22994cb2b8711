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
const work = mkdtempSync(join(tmpdir(), 'docs-run-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Runs the ```ts example of a Markdown file that contains `marker`, as written, with `epilogue` appended (what to
 * print of its results), in a folder holding the files it opens. Resolves to its standard output's lines.
 */
async function runExample(file: string, marker: string, epilogue: string): Promise<string[]> {
  const example = extractExamples(file, readFileSync(join(ROOT, file), 'utf8')).find((e) => e.code.includes(marker));
  expect(example, `${file}: an example with ${marker}`).toBeDefined();
  const js = ts.transpileModule(`${example!.code}\n${epilogue}\n`, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  mkdirSync(HERE, { recursive: true });
  const script = join(HERE, `example-${process.pid}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(script, js);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script], { cwd: work });
    return stdout.trim().split('\n');
  } finally {
    rmSync(script, { force: true });
  }
}

describe('the docs examples that run as written', () => {
  it(
    "README's first example, on a model of the shape it feeds: it says where it ran and why CUDA was skipped",
    { timeout: 120_000 },
    async () => {
      writeFileSync(
        join(work, 'model.onnx'),
        buildOnnxModel({
          inputs: [{ name: 'pixels', dtype: 'float32', dims: [1, 3, 224, 224] }],
          outputs: [{ name: 'activated', dtype: 'float32', dims: [1, 3, 224, 224] }],
          nodes: [{ op: 'Relu', inputs: ['pixels'], outputs: ['activated'] }],
        }),
      );
      const lines = await runExample(
        'README.md',
        "createSession('model.onnx'",
        'console.log(JSON.stringify(Object.keys(outputs)));',
      );
      expect(lines[0]).toMatch(/^ort-node (cuda|cpu)$/);
      // Without CUDA's provider libraries (as here) the chain fell back and said why.
      if (lines[0] === 'ort-node cpu') expect(lines.some((l) => /^skipped cuda: .*cuda/i.test(l))).toBe(true);
      expect(lines.at(-1)).toBe('["activated"]');
    },
  );

  it(
    "the pipelines page's preprocess → run → decode example: the index of the highest score, and each step timed",
    { timeout: 120_000 },
    async () => {
      // scores.onnx hands its input back (y = x), so the decoder's answer is the index of the largest reading.
      writeFileSync(
        join(work, 'scores.onnx'),
        buildOnnxModel({
          inputs: [{ name: 'x', dtype: 'float32', dims: [1, 'N'] }],
          outputs: [{ name: 'y', dtype: 'float32', dims: [1, 'N'] }],
          nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
        }),
      );
      const lines = await runExample(
        'docs/guide/pipelines.md',
        'createPipeline({',
        'console.log(JSON.stringify({ result, steps: Object.keys(timings) }));',
      );
      expect(JSON.parse(lines.at(-1)!)).toEqual({ result: 1, steps: ['preprocess', 'inference', 'decode', 'total'] });
    },
  );
});
