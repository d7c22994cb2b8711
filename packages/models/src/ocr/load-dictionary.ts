import { readFile } from 'node:fs/promises';
import { parseDictionary } from './dictionary.js';

export async function loadDictionary(path: string, options: { appendSpace?: boolean } = {}): Promise<string[]> {
  return parseDictionary(await readFile(path, 'utf8'), options);
}
