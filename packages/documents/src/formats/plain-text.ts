import type { PageForFormat } from '../page-result.js';

/**
 * Plain text: each page's lines, a blank line between blocks, pages separated by a form feed (as Tesseract and
 * pdftotext write them).
 */
export function toPlainText(pages: readonly PageForFormat[]): string {
  return pages
    .map((page) => `${page.blocks.map((b) => b.lines.map((l) => l.text).join('\n')).join('\n\n')}\n`)
    .join('\f');
}
