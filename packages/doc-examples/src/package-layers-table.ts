import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Each published package with the polyinfer packages it depends on (dependencies and peers). */
export function packageGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (manifest.private) continue;
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((d) =>
      d.startsWith('@polyinfer/'),
    );
    graph.set(manifest.name, deps.sort());
  }
  return graph;
}

/** A package's layer: 0 for one that depends on no polyinfer package, else one above its highest dependency. */
export function packageLayers(graph: Map<string, string[]>): Map<string, number> {
  const layers = new Map<string, number>();
  const layerOf = (name: string, path: string[]): number => {
    if (path.includes(name)) throw new Error(`dependency cycle: ${[...path, name].join(' → ')}`);
    const known = layers.get(name);
    if (known !== undefined) return known;
    const deps = (graph.get(name) ?? []).filter((d) => graph.has(d));
    const layer = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => layerOf(d, [...path, name])));
    layers.set(name, layer);
    return layer;
  };
  for (const name of graph.keys()) layerOf(name, []);
  return layers;
}

/**
 * The published packages in layers, as the manifests declare them: a diagram (lowest layer at the bottom, as a
 * stack is drawn) and a table of each package's polyinfer dependencies.
 */
export function packageLayersTable(root: string): string {
  const graph = packageGraph(root);
  const layers = packageLayers(graph);
  const top = Math.max(...layers.values());
  const short = (name: string): string => name.replace('@polyinfer/', '');
  const rows = Array.from({ length: top + 1 }, (_, i) => top - i).map((layer) => {
    const names = [...graph.keys()].filter((n) => layers.get(n) === layer).map(short);
    return `layer ${layer}  ${names.join(' · ')}`;
  });
  const table = [...graph.entries()]
    .sort(([a], [b]) => layers.get(a)! - layers.get(b)! || a.localeCompare(b))
    .map(([name, deps]) => `| ${layers.get(name)} | \`${name}\` | ${deps.map(short).join(', ') || '—'} |`);
  return ['```', ...rows, '```', '', '| layer | package | depends on |', '|---|---|---|', ...table].join('\n');
}
