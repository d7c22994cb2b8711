import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A name the prose writes as code (`createRegistry`, `BACKEND_CATALOGUE`) that no source file has any more. */
export interface StaleName {
  file: string;
  line: number;
  name: string;
}

// Code-shaped names only: camelCase, PascalCase of two words or more, CONSTANT_CASE. Plain words in backticks
// (`cpu`, `wasm`) and placeholders a reader fills in (`MyBackend`) are not checked.
const CODE_NAME = /^(?:[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[A-Z][A-Z0-9]*_[A-Z0-9_]+)$/;
const PLACEHOLDER = /My[A-Z]|^My/;

function sourceText(root: string): string {
  const texts: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|json|yaml)$/.test(name)) texts.push(readFileSync(path, 'utf8'));
    }
  };
  for (const dir of readdirSync(join(root, 'packages'))) {
    if (existsSync(join(root, 'packages', dir, 'src'))) walk(join(root, 'packages', dir, 'src'));
    if (existsSync(join(root, 'packages', dir, 'package.json')))
      texts.push(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  }
  for (const extra of ['examples', 'benchmarks/src']) if (existsSync(join(root, extra))) walk(join(root, extra));
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.ci/run'])
    if (existsSync(join(root, file))) texts.push(readFileSync(join(root, file), 'utf8'));
  return texts.join('\n');
}

/**
 * Every code-shaped name in backticks in the given Markdown files that no source file of the repository contains: an
 * option, function or constant the docs still name after the code dropped or renamed it.
 */
export function staleNames(files: readonly { file: string; markdown: string }[], root: string): StaleName[] {
  const source = sourceText(root);
  const known = new Map<string, boolean>();
  const has = (name: string): boolean => {
    if (!known.has(name)) known.set(name, new RegExp(`\\b${name}\\b`).test(source));
    return known.get(name)!;
  };
  const stale: StaleName[] = [];
  for (const { file, markdown } of files) {
    let fenced = false;
    markdown.split('\n').forEach((text, i) => {
      if (text.startsWith('```')) fenced = !fenced;
      if (fenced) return;
      for (const [, name] of text.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g))
        if (CODE_NAME.test(name!) && !PLACEHOLDER.test(name!) && !has(name!))
          stale.push({ file, line: i + 1, name: name! });
    });
  }
  return stale;
}
