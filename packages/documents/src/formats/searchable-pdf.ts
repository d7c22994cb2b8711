import type { PDFName, PDFPage } from 'pdf-lib';
import {
  beginText,
  endText,
  PDFDocument,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  TextRenderingMode,
} from 'pdf-lib';
import type { InvisibleTextFont } from './invisible-text-font.js';
import { addInvisibleTextFont } from './invisible-text-font.js';
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

/** What was written: characters outside Unicode's Basic Multilingual Plane (emoji, rare CJK) are "?" in the layer. */
export interface SearchablePdfReport {
  bytes: Uint8Array;
  words: number;
  replacedCharacters: number;
}

/**
 * A searchable PDF: each page's picture, with an invisible text layer (rendering mode 3) placed on its words — each
 * word at its box's baseline, at the box's slant, stretched to the box's width — so that viewers select and search
 * it and `pdftotext` reads the OCR text back, in any script (see addInvisibleTextFont). Pages keep their order.
 */
export async function toSearchablePdf(
  pages: readonly SearchablePdfPage[],
  options: SearchablePdfOptions = {},
): Promise<SearchablePdfReport> {
  const pdf = await PDFDocument.create();
  pdf.setProducer('polyinfer');
  pdf.setCreator('polyinfer');
  if (options.title) pdf.setTitle(options.title);
  const font = addInvisibleTextFont(pdf);
  let words = 0;
  let replacedCharacters = 0;
  for (const [index, { result, image, dpi = 72 }] of pages.entries()) {
    const picture =
      pictureType(image) === 'png'
        ? await pdf.embedPng(image)
        : pictureType(image) === 'jpeg'
          ? await pdf.embedJpg(image)
          : undefined;
    if (!picture) throw new UnsupportedPageImageError(result.page ?? index + 1);
    const scale = 72 / dpi;
    const page = pdf.addPage([result.width * scale, result.height * scale]);
    page.drawImage(picture, { x: 0, y: 0, width: result.width * scale, height: result.height * scale });
    const fontName = page.node.newFontDictionary('PolyinferInvisibleText', font.ref);
    for (const block of result.blocks)
      for (const line of block.lines)
        line.words.forEach((word, w) => {
          // A space after each word but the line's last: text extractors read it as the word break.
          const next = line.words[w + 1];
          replacedCharacters += placeWord(
            page,
            font,
            fontName,
            word.box,
            word.text,
            next?.box[0],
            scale,
            result.height * scale,
          );
          words++;
        });
  }
  return { bytes: await pdf.save(), words, replacedCharacters };
}

/** Writes one word of the invisible layer; returns how many of its characters the font had to write as "?". */
function placeWord(
  page: PDFPage,
  font: InvisibleTextFont,
  fontName: PDFName,
  box: readonly (readonly [number, number])[],
  text: string,
  nextWordStart: readonly [number, number] | undefined,
  scale: number,
  pageHeight: number,
): number {
  const [tl, tr, , bl] = box as [[number, number], [number, number], [number, number], [number, number]];
  // PDF space: points, y up.
  const at = (p: readonly [number, number]): [number, number] => [p[0] * scale, pageHeight - p[1] * scale];
  const [x0, y0] = at(bl);
  const [tx, ty] = at(tl);
  const [rx, ry] = at(tr);
  const width = Math.hypot(rx - tx, ry - ty);
  const height = Math.hypot(tx - x0, ty - y0);
  const characters = [...text].length;
  if (width < 0.5 || height < 0.5 || characters === 0) return 0;
  const angle = Math.atan2(ry - ty, rx - tx);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // The font's glyphs stand on the baseline and are one em tall: the box's height is the size, its bottom the baseline.
  const size = height;
  let squeeze = (100 * width) / font.width(characters, size);
  let shown = text;
  if (nextWordStart) {
    // The space must end before the next word starts (extractors drop a space that overlaps the next letter):
    // where the gap is narrower than the stretched space, word and space together are fitted to reach the next word.
    shown = `${text} `;
    const [nx, ny] = at(nextWordStart);
    const reach = (nx - tx) * cos + (ny - ty) * sin;
    const space = (font.width(1, size) * squeeze) / 100;
    if (reach > 0 && width + space > reach) squeeze = (100 * reach) / font.width(characters + 1, size);
  }
  const { codes, replaced } = font.encode(shown);
  page.pushOperators(
    beginText(),
    setTextRenderingMode(TextRenderingMode.Invisible),
    setFontAndSize(fontName, size),
    setCharacterSqueeze(squeeze),
    setTextMatrix(cos, sin, -sin, cos, x0, y0),
    showText(codes),
    endText(),
  );
  return replaced;
}

/** PNG or JPEG, the picture formats a PDF embeds as they are; undefined for any other bytes. */
export function pictureType(b: Uint8Array): 'png' | 'jpeg' | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  return undefined;
}
