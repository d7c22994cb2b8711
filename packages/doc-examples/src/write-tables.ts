import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conformanceTable } from './conformance-table.js';
import { devicesTable } from './devices-table.js';
import { errorCodesTable } from './error-codes-table.js';
import { generatedNames, replaceGenerated } from './generated-sections.js';
import { packageLayersTable } from './package-layers-table.js';
import { tasksTable } from './tasks-table.js';
import { unreleasedChangelogs } from './unreleased-changelogs.js';

/** The tables the code knows, by the name their generated sections carry. */
export async function generatedTables(root: string): Promise<Record<string, string>> {
  return {
    devices: await devicesTable(),
    'error-codes': errorCodesTable(root),
    conformance: conformanceTable(root),
    'package-layers': packageLayersTable(root),
    tasks: await tasksTable(),
  };
}

/** The Markdown files that may hold generated sections: the root README and the docs site's pages. */
export function documentationFiles(root: string): string[] {
  const pages = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      // The site's public files (an embedded report's report.md) are copied as they are, not pages.
      if (name === 'node_modules' || name === 'public' || name.startsWith('.')) return [];
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return pages(path);
      return name.endsWith('.md') ? [path] : [];
    });
  return [join(root, 'README.md'), ...pages(join(root, 'docs'))];
}

/** Each file with generated sections, rewritten from the code (an unknown section name is an error). */
export async function rewrittenFiles(root: string): Promise<{ file: string; before: string; after: string }[]> {
  const tables = await generatedTables(root);
  return documentationFiles(root).flatMap((file) => {
    const before = readFileSync(file, 'utf8');
    const names = generatedNames(before);
    if (names.length === 0) return [];
    let after = before;
    for (const name of names) {
      const content = tables[name];
      if (content === undefined)
        throw new Error(`${relative(root, file)}: no table named "${name}" (known: ${Object.keys(tables).join(', ')})`);
      after = replaceGenerated(after, name, content);
    }
    return [{ file, before, after }];
  });
}

// `pnpm docs:tables`: rewrites every generated section of the README and the docs from the code, and each published
// package's CHANGELOG.md "Unreleased" section from the pending changesets.
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  for (const { file, before, after } of [...(await rewrittenFiles(root)), ...(await unreleasedChangelogs(root))]) {
    if (after !== before) writeFileSync(file, after);
    console.log(`${after === before ? 'unchanged' : 'rewrote  '} ${relative(root, file)}`);
  }
}
