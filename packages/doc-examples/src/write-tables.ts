import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devicesTable } from './devices-table.js';
import { errorCodesTable } from './error-codes-table.js';
import { replaceGenerated } from './generated-sections.js';

/** The generated sections of the root README, by name. */
export async function generatedTables(root: string): Promise<Record<string, string>> {
  return { devices: await devicesTable(), 'error-codes': errorCodesTable(root) };
}

// `pnpm docs:tables`: rewrites the README's generated sections from the code.
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const file = join(root, 'README.md');
  let markdown = readFileSync(file, 'utf8');
  const tables = await generatedTables(root);
  for (const [name, content] of Object.entries(tables)) markdown = replaceGenerated(markdown, name, content);
  writeFileSync(file, markdown);
  console.log(`rewrote ${Object.keys(tables).join(', ')} in README.md`);
}
