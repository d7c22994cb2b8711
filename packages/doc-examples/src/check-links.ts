import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** A relative link in a Markdown file that leads nowhere. */
export interface BrokenLink {
  file: string;
  line: number;
  link: string;
  problem: string;
}

/**
 * The anchor a heading gets: lower case, punctuation dropped, spaces to hyphens (GitHub's and VitePress's rule for
 * the headings these docs use).
 */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(headingAnchor(heading[1]!));
  }
  return anchors;
}

/**
 * Every relative link of a Markdown file checked: the file (or folder) it names exists, and a `#anchor` into a
 * Markdown file names one of its headings. Site paths (`/guide/x`) resolve under `siteRoot`. Links to other hosts are
 * not followed (nothing here may reach the network).
 */
export function checkLinks(file: string, root: string, siteRoot?: string): BrokenLink[] {
  const markdown = readFileSync(file, 'utf8');
  const broken: BrokenLink[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, i) => {
    if (text.startsWith('```')) fenced = !fenced;
    if (fenced) return;
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto: …
      const [path = '', anchor] = link.split('#');
      let target: string;
      if (path === '') target = file;
      else if (path.startsWith('/')) {
        if (!siteRoot) continue;
        target = join(siteRoot, path);
        if (!existsSync(target)) target = `${target.replace(/\.html$/, '')}.md`;
      } else target = join(dirname(file), path);
      const where = { file: relative(root, file), line: i + 1, link };
      if (!existsSync(target)) {
        broken.push({ ...where, problem: `${relative(root, target)} does not exist` });
        continue;
      }
      if (anchor && target.endsWith('.md') && statSync(target).isFile()) {
        if (!anchorsOf(readFileSync(target, 'utf8')).has(anchor))
          broken.push({ ...where, problem: `no heading "#${anchor}" in ${relative(root, target)}` });
      }
    }
  });
  return broken;
}
