/**
 * Tables the code knows live in Markdown between `<!-- generated: NAME (pnpm docs:tables) -->` and
 * `<!-- /generated: NAME -->`: rewritten by one command, and a test fails when they differ from the code.
 */
export function replaceGenerated(markdown: string, name: string, content: string): string {
  const { start, end } = markersOf(markdown, name);
  return `${markdown.slice(0, start)}\n${content}\n${markdown.slice(end)}`;
}

/** The content between a section's markers, without the newlines around it. */
export function generatedContent(markdown: string, name: string): string {
  const { start, end } = markersOf(markdown, name);
  return markdown.slice(start, end).replace(/^\n/, '').replace(/\n$/, '');
}

function markersOf(markdown: string, name: string): { start: number; end: number } {
  const open = `<!-- generated: ${name} (pnpm docs:tables) -->`;
  const close = `<!-- /generated: ${name} -->`;
  const at = markdown.indexOf(open);
  const end = markdown.indexOf(close);
  if (at < 0 || end < at) throw new Error(`no generated section "${name}" (${open} … ${close})`);
  return { start: at + open.length, end };
}

/** The names of the generated sections a Markdown text holds, in order. */
export function generatedNames(markdown: string): string[] {
  return [...markdown.matchAll(/<!-- generated: ([a-z0-9-]+) \(pnpm docs:tables\) -->/g)].map((m) => m[1]!);
}
