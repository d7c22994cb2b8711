import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import type { DocExample } from './extract-examples.js';

/** A type error in an example, at its place in the Markdown file. */
export interface ExampleProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * Where each `@polyinfer/…` import (and subpath) resolves for a user: the built declaration file its package's
 * `exports` map names (the `node` condition where there is one).
 */
export function publishedTypes(root: string, environment: 'node' | 'browser' = 'node'): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; exports?: Record<string, unknown> };
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const types = typesOf(target, environment);
      if (!types) continue;
      paths[subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`] = [join(root, 'packages', dir, types)];
    }
  }
  return paths;
}

function typesOf(target: unknown, environment: 'node' | 'browser'): string | undefined {
  if (typeof target !== 'object' || target === null) return undefined;
  const t = target as Record<string, unknown>;
  if (typeof t[environment] === 'object') return typesOf(t[environment], environment);
  return typeof t.types === 'string' ? t.types : undefined;
}

/**
 * Type-checks examples as the modules a user would write (strict, ESM, top-level await, Node and DOM types), each in
 * a file of its own, against the packages' published types. Problems are reported at their Markdown line.
 */
export function checkExamples(examples: readonly DocExample[], root: string): ExampleProblem[] {
  // Examples for pages and Web Workers see the packages' browser entries, as a bundler resolves them.
  return (['node', 'browser'] as const).flatMap((environment) =>
    checkIn(
      examples.filter((e) => (e.environment ?? 'node') === environment),
      root,
      environment,
    ),
  );
}

function checkIn(examples: readonly DocExample[], root: string, environment: 'node' | 'browser'): ExampleProblem[] {
  if (examples.length === 0) return [];
  const files = new Map<string, { example: DocExample; preludeLines: number }>();
  examples.forEach((example, i) => {
    const name = join(root, 'packages', 'doc-examples', '.examples', `${environment}-${i}.ts`);
    files.set(name, { example, preludeLines: example.prelude === '' ? 0 : example.prelude.split('\n').length - 1 });
  });
  const sources = new Map(
    [...files].map(([name, { example }]) => [name, `${example.prelude}${example.code}\nexport {};\n`] as const),
  );
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    baseUrl: root,
    paths: publishedTypes(root, environment),
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => sources.get(name) ?? readFile(name);
  host.fileExists = (name) => sources.has(name) || fileExists(name);
  // Examples are ES modules: their folder's package.json says "type": "module", as a user's project would.
  const program = ts.createProgram([...sources.keys()], options, host);
  const problems: ExampleProblem[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const source = diagnostic.file;
    const owner = source ? files.get(source.fileName) : undefined;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!source || !owner) {
      problems.push({ file: source ? relative(root, source.fileName) : '(program)', line: 0, message });
      continue;
    }
    const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    problems.push({
      file: owner.example.file,
      line: owner.example.line + line - owner.preludeLines,
      message,
    });
  }
  return problems;
}
