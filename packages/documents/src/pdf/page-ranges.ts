import { PageRangeError } from './pdf-errors.js';

/**
 * A page selection as printers take it — "1-3,7", "5-" (to the end), "-2" — as page numbers in ascending order,
 * each once. `undefined` selects every page. Pages past the end are an error, not silently dropped.
 */
export function parsePageRanges(selection: string | undefined, pageCount: number): number[] {
  if (selection === undefined || selection.trim() === '') return Array.from({ length: pageCount }, (_, i) => i + 1);
  const pages = new Set<number>();
  for (const part of selection.split(',')) {
    const match = /^\s*(\d*)\s*(-?)\s*(\d*)\s*$/.exec(part);
    if (!match || (match[1] === '' && match[3] === '') || (match[2] === '' && match[3] !== ''))
      throw new PageRangeError(selection, `"${part}" is not a page or a range (1-3, 5-, -2)`);
    const from = match[1] === '' ? 1 : Number(match[1]);
    const to = match[2] === '' ? from : match[3] === '' ? pageCount : Number(match[3]);
    if (from < 1 || to < from) throw new PageRangeError(selection, `"${part}" is an empty range`);
    if (to > pageCount)
      throw new PageRangeError(selection, `the document has ${pageCount} page${pageCount === 1 ? '' : 's'}`);
    for (let p = from; p <= to; p++) pages.add(p);
  }
  return [...pages].sort((a, b) => a - b);
}
