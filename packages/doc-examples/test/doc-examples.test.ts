import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkExamples, extractExamples } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const READMES = [
  'README.md',
  ...readdirSync(join(ROOT, 'packages'))
    .map((dir) => `packages/${dir}/README.md`)
    .filter((file) => existsSync(join(ROOT, file))),
];
const examples = READMES.flatMap((file) => extractExamples(file, readFileSync(join(ROOT, file), 'utf8')));

describe('the ```ts examples of the READMEs', () => {
  it(
    'compile against the packages as published (strict, ESM), each as a module of its own',
    { timeout: 120_000 },
    () => {
      const compiled = examples.filter((e) => e.skip === undefined);
      expect(compiled.length).toBeGreaterThanOrEqual(15);
      const problems = checkExamples(compiled, ROOT).map((p) => `${p.file}:${p.line}: ${p.message}`);
      expect(problems).toEqual([]);
    },
  );

  it('say why when one is not meant to compile', () => {
    for (const e of examples.filter((x) => x.skip !== undefined)) expect(e.skip, `${e.file}:${e.line}`).not.toBe('');
  });

  it('catch a broken example, at its line in the Markdown', { timeout: 120_000 }, () => {
    const markdown = [
      '# A package',
      '',
      '<!-- prelude: declare const input: Float32Array; -->',
      '```ts',
      "import { Tensor } from '@polyinfer/core';",
      '',
      "const t = new Tensor('float32', input, [1, 3]);",
      't.dimensions; // no such property: the API is `dims`',
      '```',
    ].join('\n');
    const [example] = extractExamples('broken.md', markdown);
    expect(example).toMatchObject({ line: 5, prelude: 'declare const input: Float32Array;\n' });
    const problems = checkExamples([example!], ROOT);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'broken.md', line: 8 });
    expect(problems[0]!.message).toContain("Property 'dimensions' does not exist");
  });
});
