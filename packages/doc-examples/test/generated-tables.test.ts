import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  conformanceTable,
  packageGraph,
  packageLayers,
  errorClasses,
  generatedContent,
  generatedTables,
  replaceGenerated,
  rewrittenFiles,
} from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('the tables the code knows', () => {
  it('are in the README and the docs as the code has them (run `pnpm docs:tables` after changing an error class, a device or an expectation file)', async () => {
    const files = await rewrittenFiles(ROOT);
    expect(files.map((f) => relative(ROOT, f.file))).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/guide/backends.md',
        'docs/reference/errors.md',
        'docs/reference/conformance-coverage.md',
        'docs/reference/architecture.md',
        'docs/guide/tasks.md',
      ]),
    );
    for (const { file, before, after } of files) expect(before, relative(ROOT, file)).toBe(after);
  });

  it('list every error class of every published package with its codes, fault and a doc comment', () => {
    const classes = errorClasses(ROOT);
    const codes = classes.flatMap((c) => c.codes);
    expect(codes).toEqual(
      expect.arrayContaining(['SHAPE_MISMATCH', 'IMAGE_DECODE_FAILED', 'PDF_ENCRYPTED', 'QUEUE_FULL']),
    );
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of classes) {
      expect(c.when, `${c.packageName} ${c.className} needs a doc comment saying when it is raised`).not.toBe('');
      // A doc comment cut short by a JSDoc tag (an "@scope/package" in the text) ends without its full stop.
      expect(c.when, `${c.packageName} ${c.className}`).toMatch(/[.)]$/);
      expect(c.codes.length, c.className).toBeGreaterThan(0);
    }
  });

  it('list every device of every backend in the catalogue, with where it runs', async () => {
    const table = (await generatedTables(ROOT)).devices!;
    for (const row of [
      '| `ort-node` | `cuda` | Node |',
      '| `ort-web` | `webgpu` | Node, browsers |',
      '| `tfjs` | `webgl` | browsers |',
    ])
      expect(table).toContain(row);
  });

  it('count the conformance cases each target is held to, and list where the targets differ', () => {
    const table = conformanceTable(ROOT);
    // ort-node:cpu passes what onnxruntime-node called directly passes: the framework loses nothing.
    expect(table).toMatch(/\| node \| (\d+) \| \1 \| \d+ \| \d+ \|/);
    expect(table).toContain('| `node/test_basic_convinteger` | ✓ | ✓ | ✓ | – |');
  });

  it('put each package one layer above its highest polyinfer dependency, core at the bottom, and refuse a cycle', () => {
    const layers = packageLayers(packageGraph(ROOT));
    expect(layers.get('@polyinfer/core')).toBe(0);
    for (const [name, deps] of packageGraph(ROOT))
      for (const dep of deps) expect(layers.get(name)!, `${name} on ${dep}`).toBeGreaterThan(layers.get(dep)!);
    // The tasks never depend on a backend: they run on whichever one the config names.
    expect(
      packageGraph(ROOT)
        .get('@polyinfer/models')!
        .some((d) => d.includes('backend')),
    ).toBe(false);
    expect(() =>
      packageLayers(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
        ]),
      ),
    ).toThrow('dependency cycle: a → b → a');
  });

  it('list every task with each place it is wired: command line, workers, server, benchmark', async () => {
    const table = (await generatedTables(ROOT)).tasks!;
    for (const task of ['ocr', 'detect', 'classify']) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${task}\` |`));
      expect(row, task).toBeDefined();
      expect(row).toContain(`\`polyinfer ${task}\``);
      expect(row!.split(' | ')).not.toContain('—');
    }
  });

  it('tell a page that has drifted from the code', async () => {
    const drifted = replaceGenerated(readme, 'devices', '| backend | device |\n|---|---|');
    expect(generatedContent(drifted, 'devices')).not.toBe((await generatedTables(ROOT)).devices);
    expect(() => generatedContent('# no markers here', 'error-codes')).toThrow('no generated section "error-codes"');
  });
});
