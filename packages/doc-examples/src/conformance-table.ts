import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The cases each target is held to: `packages/conformance/expectations/<target>.txt`, one case a line. */
export function conformanceExpectations(root: string): Map<string, Set<string>> {
  const dir = join(root, 'packages', 'conformance', 'expectations');
  const targets = new Map<string, Set<string>>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort(byTargetOrder)) {
    const cases = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    targets.set(targetName(file), new Set(cases));
  }
  return targets;
}

// onnxruntime-node called directly first: the column every other one is read against.
function byTargetOrder(a: string, b: string): number {
  return (a.startsWith('onnxruntime') ? 0 : 1) - (b.startsWith('onnxruntime') ? 0 : 1) || a.localeCompare(b);
}

/** `ort-node-cpu.txt` → `ort-node:cpu` (the file name the runner writes, read back). */
function targetName(file: string): string {
  const base = file.replace(/\.txt$/, '');
  if (base === 'onnxruntime-node') return base;
  const at = base.lastIndexOf('-');
  return `${base.slice(0, at)}:${base.slice(at + 1)}`;
}

/**
 * The conformance coverage the test suite holds each target to, as Markdown: cases passed per data set and target,
 * then every case that passes on some targets and not on others.
 */
export function conformanceTable(root: string): string {
  const targets = conformanceExpectations(root);
  const names = [...targets.keys()];
  const all = [...new Set([...targets.values()].flatMap((s) => [...s]))].sort();
  const dataSets = [...new Set(all.map((c) => c.split('/')[0]!))].sort();
  const head = (first: string): string[] => [
    `| ${first} | ${names.map((n) => `\`${n}\``).join(' | ')} |`,
    `|---|${names.map(() => '---:').join('|')}|`,
  ];
  const counts = dataSets.map((set) => {
    const cells = names.map((n) => [...targets.get(n)!].filter((c) => c.startsWith(`${set}/`)).length);
    return `| ${set} | ${cells.join(' | ')} |`;
  });
  const total = `| **all** | ${names.map((n) => `**${targets.get(n)!.size}**`).join(' | ')} |`;
  const differing = all.filter((c) => names.some((n) => !targets.get(n)!.has(c)));
  const rows = differing.map(
    (c) => `| \`${c}\` | ${names.map((n) => (targets.get(n)!.has(c) ? '✓' : '–')).join(' | ')} |`,
  );
  return [
    'Cases passed, by data set:',
    '',
    ...head('data set'),
    ...counts,
    total,
    '',
    `The ${differing.length} cases that pass on some targets and not on others (✓ passes, – refused or fails):`,
    '',
    ...head('case'),
    ...rows,
  ].join('\n');
}
