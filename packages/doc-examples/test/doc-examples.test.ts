import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkExamples, checkLinks, documentationFiles, extractExamples, staleNames } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
interface Manifest {
  name: string;
  private?: boolean;
}
// The root README, every package's README (its npm page) and every page of the docs site.
const FILES = [
  ...documentationFiles(ROOT).map((file) => relative(ROOT, file)),
  ...readdirSync(join(ROOT, 'packages'))
    .map((dir) => `packages/${dir}/README.md`)
    .filter((file) => existsSync(join(ROOT, file))),
];
const examples = FILES.flatMap((file) => extractExamples(file, readFileSync(join(ROOT, file), 'utf8')));

describe('the ```ts examples of the READMEs and the docs', () => {
  it(
    'compile against the packages as published (strict, ESM), each as a module of its own',
    { timeout: 120_000 },
    () => {
      const compiled = examples.filter((e) => e.skip === undefined);
      expect(compiled.length).toBeGreaterThanOrEqual(25);
      expect(compiled.some((e) => e.file.startsWith('docs/'))).toBe(true);
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

describe('the links of the READMEs and the docs', () => {
  it('lead to files and headings that exist', () => {
    const broken = FILES.flatMap((file) => checkLinks(join(ROOT, file), ROOT, join(ROOT, 'docs')));
    expect(broken.map((b) => `${b.file}:${b.line}: ${b.link}: ${b.problem}`)).toEqual([]);
  });

  it('catch a link to a missing page or heading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'links-'));
    try {
      writeFileSync(join(dir, 'a.md'), '# A page\n\n## Its part\n');
      writeFileSync(
        join(dir, 'b.md'),
        '[fine](./a.md#its-part) [gone](./c.md)\n```\n[in code](./nowhere.md)\n```\n[no such part](a.md#other) [out](https://example.org/x)\n',
      );
      expect(checkLinks(join(dir, 'b.md'), dir).map((b) => `${b.line}: ${b.link}: ${b.problem}`)).toEqual([
        '1: ./c.md: c.md does not exist',
        '5: a.md#other: no heading "#other" in a.md',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the names the READMEs and the docs write as code', () => {
  it('are still in the code (an option, function or constant renamed or dropped fails here)', () => {
    const files = FILES.map((file) => ({ file, markdown: readFileSync(join(ROOT, file), 'utf8') }));
    expect(staleNames(files, ROOT).map((s) => `${s.file}:${s.line}: ${s.name}`)).toEqual([]);
  });

  it('catch a name the code does not have, and leave plain words and placeholders alone', () => {
    const markdown =
      'Pass `devices` to `createRegistry`, implement `createMyBackend`, set `wasmThreadCount` and `NO_SUCH_CODE`.';
    expect(staleNames([{ file: 'x.md', markdown }], ROOT).map((s) => s.name)).toEqual([
      'wasmThreadCount',
      'NO_SUCH_CODE',
    ]);
  });
});

/** Each published package's folder and manifest. */
function publishedPackages(): { dir: string; manifest: Manifest }[] {
  return readdirSync(join(ROOT, 'packages'))
    .filter((dir) => existsSync(join(ROOT, 'packages', dir, 'package.json')))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
    }))
    .filter(({ manifest }) => !manifest.private);
}

describe('the packages page', () => {
  it('names every published package (a new package without a line there fails)', () => {
    const page = readFileSync(join(ROOT, 'docs', 'reference', 'packages.md'), 'utf8');
    const published = publishedPackages().map(({ manifest }) => manifest.name);
    expect(published.length).toBeGreaterThan(15);
    expect(published.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});

describe("each published package's README (its npm page)", () => {
  it('exists, is titled with the package name, says how to install it and is 30–60 lines long', () => {
    const problems = publishedPackages().flatMap(({ dir, manifest }) => {
      const file = join(ROOT, 'packages', dir, 'README.md');
      if (!existsSync(file)) return [`${manifest.name}: no README.md`];
      const text = readFileSync(file, 'utf8');
      const lines = text.trimEnd().split('\n').length;
      return [
        ...(text.startsWith(`# ${manifest.name}\n`) ? [] : [`${manifest.name}: the title is not "# ${manifest.name}"`]),
        ...(text.includes(`npm install`) ? [] : [`${manifest.name}: no install line`]),
        ...(lines >= 30 && lines <= 60 ? [] : [`${manifest.name}: ${lines} lines`]),
      ];
    });
    expect(problems).toEqual([]);
  });
});

describe('the root README', () => {
  it('stays short (≤ 150 lines: what polyinfer is, an example, the devices, links into the docs)', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(150);
  });

  it('opens with a quick start of two commands: install and run the demo, run the tests (scripts that exist)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = /^## Quick start\n[\s\S]*?```sh\n([\s\S]*?)```/m.exec(readme);
    const commands = (section?.[1] ?? '').trimEnd().split('\n');
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/pnpm install && pnpm demo\b/);
    expect(commands[1]).toMatch(/^pnpm test\b/);
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['demo', 'test']));
  });
});
