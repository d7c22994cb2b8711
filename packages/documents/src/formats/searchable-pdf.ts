import type { PDFFont, PDFName, PDFPage } from 'pdf-lib';
import {
  beginText,
  endText,
  PDFDocument,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  StandardFonts,
  TextRenderingMode,
} from 'pdf-lib';
import type { PageForFormat } from '../page-result.js';
import { UnsupportedPageImageError } from '../pdf/pdf-errors.js';

export interface SearchablePdfPage {
  result: PageForFormat;
  /** The page's picture as PNG or JPEG bytes, `result.width` × `result.height` pixels. */
  image: Uint8Array;
  /** Pixels per inch of the picture (the page is `width ÷ dpi` inches wide). Default 72: a pixel per point. */
  dpi?: number;
}

export interface SearchablePdfOptions {
  title?: string;
}

/** What was written: a word whose characters the text layer's font cannot show has them as "?" in the layer. */
export interface SearchablePdfReport {
  bytes: Uint8Array;
  words: number;
  replacedCharacters: number;
}

// Helvetica's descent and height of its tallest glyphs, in ems: a word's box becomes its font size and baseline.
const DESCENT = 0.207;
const HEIGHT = 0.925;

/**
 * A searchable PDF: each page's picture, with an invisible text layer (rendering mode 3) placed on its words — each
 * word at its box's baseline, at the box's slant, stretched to the box's width — so that viewers select and search
 * it and `pdftotext` reads the OCR text back. Pages keep their order. The layer's font is PDF's standard Helvetica,
 * whose WinAnsi encoding covers Latin scripts; other characters are written as "?" and counted.
 */
export async function toSearchablePdf(
  pages: readonly SearchablePdfPage[],
  options: SearchablePdfOptions = {},
): Promise<SearchablePdfReport> {
  const pdf = await PDFDocument.create();
  pdf.setProducer('polyinfer');
  pdf.setCreator('polyinfer');
  if (options.title) pdf.setTitle(options.title);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const shown = new Set(font.getCharacterSet());
  let words = 0;
  let replacedCharacters = 0;
  for (const [index, { result, image, dpi = 72 }] of pages.entries()) {
    const picture = isPng(image) ? await pdf.embedPng(image) : isJpeg(image) ? await pdf.embedJpg(image) : undefined;
    if (!picture) throw new UnsupportedPageImageError(result.page ?? index + 1);
    const scale = 72 / dpi;
    const page = pdf.addPage([result.width * scale, result.height * scale]);
    page.drawImage(picture, { x: 0, y: 0, width: result.width * scale, height: result.height * scale });
    const fontName = page.node.newFontDictionary(font.name, font.ref);
    for (const block of result.blocks)
      for (const line of block.lines)
        line.words.forEach((word, w) => {
          let text = '';
          for (const char of word.text) {
            const code = char.codePointAt(0) as number;
            if (shown.has(code)) text += char;
            else {
              text += '?';
              replacedCharacters++;
            }
          }
          // A space after each word but the line's last: text extractors read it as the word break.
          const next = line.words[w + 1];
          placeWord(page, font, fontName, word.box, text, next?.box[0], scale, result.height * scale);
          words++;
        });
  }
  return { bytes: await pdf.save(), words, replacedCharacters };
}

function placeWord(
  page: PDFPage,
  font: PDFFont,
  fontName: PDFName,
  box: readonly (readonly [number, number])[],
  text: string,
  nextWordStart: readonly [number, number] | undefined,
  scale: number,
  pageHeight: number,
): void {
  const [tl, tr, , bl] = box as [[number, number], [number, number], [number, number], [number, number]];
  // PDF space: points, y up.
  const at = (p: readonly [number, number]): [number, number] => [p[0] * scale, pageHeight - p[1] * scale];
  const [x0, y0] = at(bl);
  const [tx, ty] = at(tl);
  const [rx, ry] = at(tr);
  const width = Math.hypot(rx - tx, ry - ty);
  const height = Math.hypot(tx - x0, ty - y0);
  if (width < 0.5 || height < 0.5 || text === '') return;
  const angle = Math.atan2(ry - ty, rx - tx);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const size = height / HEIGHT;
  const natural = font.widthOfTextAtSize(text, size);
  let squeeze = natural > 0 ? (100 * width) / natural : 100;
  let shown = text;
  if (nextWordStart) {
    // The space must end before the next word starts (extractors drop a space that overlaps the next letter):
    // where the gap is narrower than the stretched space, word and space together are fitted to reach the next word.
    shown = `${text} `;
    const [nx, ny] = at(nextWordStart);
    const reach = (nx - tx) * cos + (ny - ty) * sin;
    const space = (font.widthOfTextAtSize(' ', size) * squeeze) / 100;
    if (reach > 0 && width + space > reach) squeeze = (100 * reach) / font.widthOfTextAtSize(shown, size);
  }
  page.pushOperators(
    beginText(),
    setTextRenderingMode(TextRenderingMode.Invisible),
    setFontAndSize(fontName, size),
    setCharacterSqueeze(squeeze),
    setTextMatrix(cos, sin, -sin, cos, x0 - sin * DESCENT * size, y0 + cos * DESCENT * size),
    showText(font.encodeText(shown)),
    endText(),
  );
}

const isPng = (b: Uint8Array): boolean => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array): boolean => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
