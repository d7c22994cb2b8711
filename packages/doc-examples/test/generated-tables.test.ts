import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorClasses, generatedContent, generatedTables, replaceGenerated } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('the tables the code knows', () => {
  it('are in the README as the code has them (run `pnpm docs:tables` after changing an error class or a device)', async () => {
    for (const [name, content] of Object.entries(await generatedTables(ROOT)))
      expect(generatedContent(readme, name), name).toBe(content);
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

  it('tell a README that has drifted from the code', async () => {
    const drifted = replaceGenerated(readme, 'error-codes', '| package | code | when |\n|---|---|---|');
    expect(generatedContent(drifted, 'error-codes')).not.toBe((await generatedTables(ROOT))['error-codes']);
    expect(() => generatedContent('# no markers here', 'error-codes')).toThrow('no generated section "error-codes"');
  });
});
