import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** One error class of a package, as its source declares it. */
export interface ErrorClassInfo {
  packageName: string;
  className: string;
  codes: string[];
  /** Whose fault it is: 'caller' or 'system' as declared, or 'either' when the class decides per instance. */
  fault: 'caller' | 'system' | 'either';
  /** The class's doc comment. */
  when: string;
}

// The packages in the order a reader meets them; the rest follow by name.
const ORDER = ['core', 'preprocess', 'models', 'documents', 'optimize', 'backend-remote', 'v2-protocol', 'server'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every class extending PolyinferError in the packages' sources, with its codes, fault and doc comment. */
export function errorClasses(root: string): ErrorClassInfo[] {
  const found: ErrorClassInfo[] = [];
  const dirs = readdirSync(join(root, 'packages')).sort(
    (a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  for (const dir of dirs) {
    let manifest: { name: string; private?: boolean };
    try {
      manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      continue;
    }
    if (manifest.private) continue;
    for (const file of sourceFiles(join(root, 'packages', dir, 'src'))) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('extends PolyinferError')) continue;
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      for (const statement of source.statements)
        if (ts.isClassDeclaration(statement)) {
          const info = describeClass(statement, source, manifest.name);
          if (info) found.push(info);
        }
    }
  }
  return found;
}

function describeClass(
  node: ts.ClassDeclaration,
  source: ts.SourceFile,
  packageName: string,
): ErrorClassInfo | undefined {
  const base = node.heritageClauses
    ?.flatMap((h) => h.types)
    .find((t) => t.expression.getText(source) === 'PolyinferError');
  if (!base || !node.name) return undefined;
  const codes = new Set<string>();
  for (const arg of base.typeArguments ?? []) for (const code of literalsOfType(arg, source)) codes.add(code);
  let fault: ErrorClassInfo['fault'] = 'system';
  node.forEachChild(function visit(child) {
    if (ts.isCallExpression(child) && child.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const [code, , , options] = child.arguments;
      if (code && ts.isStringLiteral(code)) codes.add(code.text);
      if (options && ts.isObjectLiteralExpression(options)) {
        const property = options.properties.find((p) => p.name?.getText(source) === 'fault');
        if (property && ts.isPropertyAssignment(property))
          fault = ts.isStringLiteral(property.initializer)
            ? (property.initializer.text as 'caller' | 'system')
            : 'either';
      }
    }
    child.forEachChild(visit);
  });
  const comment = ts
    .getJSDocCommentsAndTags(node)
    .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { packageName, className: node.name.text, codes: [...codes], fault, when: comment };
}

/** The string literals a type names: a literal, a union of them, or an alias of those declared in the same file. */
function literalsOfType(type: ts.TypeNode, source: ts.SourceFile): string[] {
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return [type.literal.text];
  if (ts.isUnionTypeNode(type)) return type.types.flatMap((t) => literalsOfType(t, source));
  if (ts.isTypeReferenceNode(type)) {
    const alias = source.statements.find(
      (s): s is ts.TypeAliasDeclaration =>
        ts.isTypeAliasDeclaration(s) && s.name.text === type.typeName.getText(source),
    );
    return alias ? literalsOfType(alias.type, source) : [];
  }
  return [];
}

/** The error classes as a Markdown table: package, class, code(s), fault, and when (the class's doc comment). */
export function errorCodesTable(root: string): string {
  const rows = errorClasses(root).map(
    (e) =>
      `| ${e.packageName.replace('@polyinfer/', '')} | \`${e.className}\` | ${e.codes.map((c) => `\`${c}\``).join(', ')} | ${e.fault} | ${e.when.replace(/\|/g, '\\|')} |`,
  );
  return ['| package | error | code | fault | when |', '|---|---|---|---|---|', ...rows].join('\n');
}
