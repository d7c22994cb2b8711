import type { Bounds, PageForFormat } from '../page-result.js';
import { boundsOf } from '../page-result.js';

/** Tesseract's TSV columns, in its order. */
export const TSV_COLUMNS = [
  'level',
  'page_num',
  'block_num',
  'par_num',
  'line_num',
  'word_num',
  'left',
  'top',
  'width',
  'height',
  'conf',
  'text',
] as const;

/**
 * Tesseract's TSV: a row per page (level 1), block (2), paragraph (3), line (4) and word (5), with the numbers
 * of its parents, its box (left, top, width, height in pixels), the word's confidence (0–100; −1 on the other levels)
 * and the word's text. A block is one paragraph. Tabs and newlines cannot occur in a word (they split words).
 */
export function toTsv(pages: readonly PageForFormat[]): string {
  const rows: string[] = [TSV_COLUMNS.join('\t')];
  const row = (level: number, numbers: number[], b: Bounds, conf: number, text: string): void => {
    rows.push([level, ...numbers, b.left, b.top, b.right - b.left, b.bottom - b.top, conf, text].join('\t'));
  };
  pages.forEach((page, index) => {
    const p = page.page ?? index + 1;
    row(1, [p, 0, 0, 0, 0], { left: 0, top: 0, right: page.width, bottom: page.height }, -1, '');
    page.blocks.forEach((block, b) => {
      const box = boundsOf(block.box, page);
      row(2, [p, b + 1, 0, 0, 0], box, -1, '');
      row(3, [p, b + 1, 1, 0, 0], box, -1, '');
      block.lines.forEach((line, l) => {
        row(4, [p, b + 1, 1, l + 1, 0], boundsOf(line.box, page), -1, '');
        line.words.forEach((word, w) => {
          const conf = Math.round(word.confidence * 10000) / 100;
          row(5, [p, b + 1, 1, l + 1, w + 1], boundsOf(word.box, page), conf, word.text.replace(/[\t\r\n]/g, ' '));
        });
      });
    });
  });
  return `${rows.join('\n')}\n`;
}
