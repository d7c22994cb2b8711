import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCodesTable } from './error-codes-table.js';
import { replaceGenerated } from './generated-sections.js';

/** The generated sections of the root README, by name. */
export function generatedTables(root: string): Record<string, string> {
  return { 'error-codes': errorCodesTable(root) };
}

// `pnpm docs:tables`: rewrites the README's generated sections from the code.
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const file = join(root, 'README.md');
  let markdown = readFileSync(file, 'utf8');
  for (const [name, content] of Object.entries(generatedTables(root)))
    markdown = replaceGenerated(markdown, name, content);
  writeFileSync(file, markdown);
  console.log(`rewrote ${Object.keys(generatedTables(root)).join(', ')} in README.md`);
}
