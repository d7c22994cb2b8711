import type { PDFDocument, PDFRef } from 'pdf-lib';
import { PDFHexString, PDFString } from 'pdf-lib';

/** Every glyph's advance, in thousandths of an em: the text is stretched to its word's box anyway. */
const ADVANCE = 500;

/** A font for text that is never drawn: any character of the Basic Multilingual Plane, each as wide as the others. */
export interface InvisibleTextFont {
  ref: PDFRef;
  /** The text as the font's two-byte codes (its characters' code points); others become "?". */
  encode(text: string): { codes: PDFHexString; replaced: number };
  /** Width in points of `characters` characters at `size`. */
  width(characters: number, size: number): number;
}

/**
 * Adds a font for an invisible text layer that any script can use: a composite (Type0) font whose codes are Unicode
 * code points (Identity-H), glyphs all of one width, with a ToUnicode map back to the code points so that text
 * extractors and viewers' search read the characters. It carries no glyph outlines — rendering mode 3 never draws
 * them — which is how OCR tools write their text layers too (PDF's standard 14 fonts only encode Latin text).
 */
export function addInvisibleTextFont(pdf: PDFDocument): InvisibleTextFont {
  const context = pdf.context;
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: 'PolyinferInvisibleText',
      Flags: 4,
      FontBBox: [0, 0, ADVANCE, 1000],
      ItalicAngle: 0,
      Ascent: 1000,
      // Not 0: readers take a zero descent as unset and assume one (poppler: a third of an em below the box).
      Descent: -1,
      CapHeight: 1000,
      StemV: 80,
    }),
  );
  const cidFont = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: 'PolyinferInvisibleText',
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: ADVANCE,
      CIDToGIDMap: 'Identity',
    }),
  );
  const toUnicode = context.register(context.flateStream(identityToUnicode()));
  const ref = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: 'PolyinferInvisibleText',
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    }),
  );
  return {
    ref,
    encode(text) {
      let hex = '';
      let replaced = 0;
      for (const char of text) {
        let code = char.codePointAt(0) as number;
        // Outside the two-byte plane, or a lone surrogate: no code of this font stands for it.
        if (code > 0xffff || (code >= 0xd800 && code <= 0xdfff)) {
          code = 0x3f;
          replaced++;
        }
        hex += code.toString(16).padStart(4, '0');
      }
      return { codes: PDFHexString.of(hex), replaced };
    },
    width: (characters, size) => (characters * ADVANCE * size) / 1000,
  };
}

/** A ToUnicode CMap taking each two-byte code to the same code point, surrogates left out. */
function identityToUnicode(): string {
  const ranges: string[] = [];
  for (let high = 0; high <= 0xff; high++) {
    if (high >= 0xd8 && high <= 0xdf) continue;
    const h = high.toString(16).padStart(2, '0');
    ranges.push(`<${h}00> <${h}ff> <${h}00>`);
  }
  const blocks: string[] = [];
  // A CMap block holds at most 100 entries.
  for (let i = 0; i < ranges.length; i += 100) {
    const block = ranges.slice(i, i + 100);
    blocks.push(`${block.length} beginbfrange\n${block.join('\n')}\nendbfrange`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}
