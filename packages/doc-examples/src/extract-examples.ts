/** A ```ts block of a Markdown file, with where it is and what the file says around it. */
export interface DocExample {
  file: string;
  /** 1-based line of the block's first code line. */
  line: number;
  code: string;
  /** Declarations the reader is told in prose ("given a session"), from a `<!-- prelude: … -->` comment above. */
  prelude: string;
  /** Why the block is not compiled, from a `<!-- not compiled: … -->` comment above; undefined when it is. */
  skip?: string;
  /** `<!-- environment: browser -->` above: the code runs in a page or Web Worker (the packages' browser entries). */
  environment?: 'node' | 'browser';
}

const FENCE = /^```(\w+)?\s*$/;
const DIRECTIVE = /^<!--\s*(prelude|not compiled|environment):\s*([\s\S]*?)\s*-->\s*$/;

/**
 * The ```ts (and ```typescript) blocks of a Markdown text. A comment line right above a block can say what the block
 * takes as given (`<!-- prelude: declare const session: import('@polyinfer/core').Session; -->`) or that it is not
 * meant to compile, and why (`<!-- not compiled: a fragment of the example above -->`), or that it runs in a page or
 * a Web Worker (`<!-- environment: browser -->`).
 */
export function extractExamples(file: string, markdown: string): DocExample[] {
  const lines = markdown.split('\n');
  const examples: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.findIndex((l, k) => k > i && /^```\s*$/.test(l));
    if (end < 0) break;
    if (open[1] === 'ts' || open[1] === 'typescript') {
      let prelude = '';
      let skip: string | undefined;
      let environment: 'node' | 'browser' | undefined;
      for (let k = i - 1; k >= 0; k--) {
        const directive = DIRECTIVE.exec(lines[k] as string);
        if (!directive) break;
        if (directive[1] === 'prelude') prelude = `${directive[2]}\n${prelude}`;
        else if (directive[1] === 'environment') environment = directive[2] === 'browser' ? 'browser' : 'node';
        else skip = directive[2];
      }
      examples.push({
        file,
        line: i + 2,
        code: lines.slice(i + 1, end).join('\n'),
        prelude,
        ...(skip === undefined ? {} : { skip }),
        ...(environment === undefined ? {} : { environment }),
      });
    }
    i = end;
  }
  return examples;
}
