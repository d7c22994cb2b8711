import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unreleasedChangelogs, unreleasedSection, withUnreleased } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe("each published package's CHANGELOG.md", () => {
  it('holds the pending changesets that name it (run `pnpm docs:tables` after `pnpm changeset`)', async () => {
    const files = await unreleasedChangelogs(ROOT);
    expect(files.map((f) => f.packageName)).toEqual(expect.arrayContaining(['@polyinfer/core', '@polyinfer/cli']));
    for (const { file, before, after } of files) expect(before, relative(ROOT, file)).toBe(after);
  });

  const changesets = [
    { id: 'a', summary: 'Adds X.\n\nMore about X.', releases: [{ name: '@p/a', type: 'minor' as const }] },
    { id: 'b', summary: 'Fixes Y.', releases: [{ name: '@p/a', type: 'patch' as const }] },
    { id: 'c', summary: 'Elsewhere.', releases: [{ name: '@p/b', type: 'major' as const }] },
  ];

  it('lists by kind of change only what names the package', () => {
    expect(unreleasedSection('@p/a', changesets)).toBe(
      '## Unreleased\n\n### Minor changes\n\n- Adds X.\n  \n  More about X.\n\n### Patch changes\n\n- Fixes Y.\n',
    );
    expect(unreleasedSection('@p/c', changesets)).toBe('');
  });

  it('keeps the released sections `changeset version` wrote, and drops "Unreleased" once nothing is pending', () => {
    const section = unreleasedSection('@p/a', changesets);
    const fresh = withUnreleased(undefined, '@p/a', section);
    expect(fresh.startsWith('# @p/a\n\n## Unreleased\n')).toBe(true);
    // After a release: changesets puts its section under the title, above the old "Unreleased".
    const released = fresh.replace('# @p/a\n\n', '# @p/a\n\n## 0.2.0\n\n### Minor Changes\n\n- abc123: Adds X.\n\n');
    expect(withUnreleased(released, '@p/a', '')).toBe('# @p/a\n\n## 0.2.0\n\n### Minor Changes\n\n- abc123: Adds X.\n');
    const next = withUnreleased(released, '@p/a', unreleasedSection('@p/a', [changesets[1]!]));
    expect(next).toContain('## 0.2.0');
    expect(next.match(/## Unreleased/g)).toHaveLength(1);
    expect(next).not.toContain('More about X');
  });
});
