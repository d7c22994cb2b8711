import type { Bounds, PageForFormat } from '../page-result.js';
import { boundsOf } from '../page-result.js';
import { escapeXml } from './xml-escape.js';

export interface HocrOptions {
  /** The document's title (default "polyinfer OCR"). */
  title?: string;
}

const bbox = (b: Bounds): string => `bbox ${b.left} ${b.top} ${b.right} ${b.bottom}`;

/**
 * hOCR 1.2: an XHTML page per result (`ocr_page`), each block an `ocr_carea` holding one `ocr_par`, its lines
 * `ocr_line`, their words `ocrx_word` with `bbox` and `x_wconf` (confidence, 0–100). Boxes are image pixels.
 */
export function toHocr(pages: readonly PageForFormat[], options: HocrOptions = {}): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
    '<head>',
    `<title>${escapeXml(options.title ?? 'polyinfer OCR')}</title>`,
    '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
    '<meta name="ocr-system" content="polyinfer"/>',
    '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"/>',
    '</head>',
    '<body>',
  ];
  pages.forEach((page, index) => {
    const p = page.page ?? index + 1;
    const image = page.source ? `image "${page.source.replace(/"/g, '')}"; ` : '';
    const whole = { left: 0, top: 0, right: page.width, bottom: page.height };
    out.push(`<div class="ocr_page" id="page_${p}" title="${escapeXml(`${image}${bbox(whole)}; ppageno ${p - 1}`)}">`);
    let lineId = 0;
    let wordId = 0;
    page.blocks.forEach((block, b) => {
      const box = bbox(boundsOf(block.box, page));
      out.push(`<div class="ocr_carea" id="block_${p}_${b + 1}" title="${box}">`);
      out.push(`<p class="ocr_par" id="par_${p}_${b + 1}" title="${box}">`);
      for (const line of block.lines) {
        out.push(`<span class="ocr_line" id="line_${p}_${++lineId}" title="${bbox(boundsOf(line.box, page))}">`);
        for (const word of line.words) {
          const conf = Math.round(word.confidence * 100);
          out.push(
            `<span class="ocrx_word" id="word_${p}_${++wordId}" title="${bbox(boundsOf(word.box, page))}; x_wconf ${conf}">${escapeXml(word.text)}</span>`,
          );
        }
        out.push('</span>');
      }
      out.push('</p>', '</div>');
    });
    out.push('</div>');
  });
  out.push('</body>', '</html>', '');
  return out.join('\n');
}
