import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import readChangesets from '@changesets/read';
import type { NewChangeset, VersionType } from '@changesets/types';

/** A package's CHANGELOG.md as it should read, and as it reads now. */
export interface ChangelogFile {
  file: string;
  packageName: string;
  before: string | undefined;
  after: string;
}

const HEADINGS: [VersionType, string][] = [
  ['major', 'Major changes'],
  ['minor', 'Minor changes'],
  ['patch', 'Patch changes'],
];

/** The "## Unreleased" section of one package: each pending changeset that names it, by kind of change. */
export function unreleasedSection(packageName: string, changesets: readonly NewChangeset[]): string {
  const parts: string[] = [];
  for (const [type, heading] of HEADINGS) {
    const entries = changesets.filter((c) => c.releases.some((r) => r.name === packageName && r.type === type));
    if (entries.length === 0) continue;
    parts.push(`### ${heading}`, '', ...entries.map((c) => `- ${c.summary.trim().replace(/\n/g, '\n  ')}`), '');
  }
  return parts.length ? ['## Unreleased', '', ...parts].join('\n') : '';
}

/**
 * A changelog with its "## Unreleased" section replaced (or added under the title, or removed when nothing is
 * pending). The released sections `changeset version` writes are kept as they are.
 */
export function withUnreleased(changelog: string | undefined, packageName: string, section: string): string {
  let text = changelog ?? `# ${packageName}\n`;
  // Wherever the old "Unreleased" is (below a release `changeset version` just wrote, after one), it goes.
  const start = text.indexOf('\n## Unreleased\n');
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + 1);
    text = text.slice(0, start + 1) + (next >= 0 ? text.slice(next + 1) : '');
  }
  const titleEnd = text.indexOf('\n') + 1 || text.length;
  const title = text.slice(0, titleEnd).trimEnd();
  const released = text.slice(titleEnd).trim();
  return `${[title, section.trim(), released].filter((s) => s !== '').join('\n\n')}\n`;
}

/**
 * Every published package's CHANGELOG.md from the pending changesets: release notes readable before the release.
 * `changeset version` turns the same changesets into a versioned section and deletes them; rewriting afterwards
 * removes the then empty "Unreleased".
 */
export async function unreleasedChangelogs(root: string): Promise<ChangelogFile[]> {
  const changesets = await readChangesets(root);
  const files: ChangelogFile[] = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifestFile = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { name: string; private?: boolean };
    if (manifest.private) continue;
    const file = join(root, 'packages', dir, 'CHANGELOG.md');
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const after = withUnreleased(before, manifest.name, unreleasedSection(manifest.name, changesets));
    files.push({ file, packageName: manifest.name, before, after });
  }
  return files;
}
