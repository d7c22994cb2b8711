import type { Bounds, PageForFormat } from '../page-result.js';
import { boundsOf } from '../page-result.js';
import { escapeXml } from './xml-escape.js';

export interface AltoOptions {
  /** The scanned file's name, recorded in `sourceImageInformation` (default: the first page's source). */
  fileName?: string;
}

const position = (b: Bounds): string =>
  `HPOS="${b.left}" VPOS="${b.top}" WIDTH="${b.right - b.left}" HEIGHT="${b.bottom - b.top}"`;

/**
 * ALTO 4 XML: `Page` / `PrintSpace` / `TextBlock` / `TextLine` / `String` (with `SP` between words), positions in
 * pixels (`MeasurementUnit` pixel), word confidence as `WC` (0–1).
 */
export function toAlto(pages: readonly PageForFormat[], options: AltoOptions = {}): string {
  const fileName = options.fileName ?? pages[0]?.source;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-4.xsd">',
    '<Description>',
    '<MeasurementUnit>pixel</MeasurementUnit>',
    ...(fileName
      ? ['<sourceImageInformation>', `<fileName>${escapeXml(fileName)}</fileName>`, '</sourceImageInformation>']
      : []),
    // ALTO 4's Processing (OCRProcessing is the deprecated ALTO 2/3 form).
    '<Processing ID="OCR_0">',
    '<processingStepDescription>contentGeneration</processingStepDescription>',
    '<processingSoftware>',
    '<softwareName>polyinfer</softwareName>',
    '</processingSoftware>',
    '</Processing>',
    '</Description>',
    '<Layout>',
  ];
  pages.forEach((page, index) => {
    const p = page.page ?? index + 1;
    const whole = { left: 0, top: 0, right: page.width, bottom: page.height };
    out.push(`<Page ID="page_${p}" PHYSICAL_IMG_NR="${p}" WIDTH="${page.width}" HEIGHT="${page.height}">`);
    out.push(`<PrintSpace ${position(whole)}>`);
    let lineId = 0;
    let wordId = 0;
    page.blocks.forEach((block, b) => {
      out.push(`<TextBlock ID="block_${p}_${b + 1}" ${position(boundsOf(block.box, page))}>`);
      for (const line of block.lines) {
        out.push(`<TextLine ID="line_${p}_${++lineId}" ${position(boundsOf(line.box, page))}>`);
        line.words.forEach((word, w) => {
          if (w > 0) out.push('<SP/>');
          const wc = Math.min(1, Math.max(0, Math.round(word.confidence * 1000) / 1000));
          out.push(
            `<String ID="string_${p}_${++wordId}" ${position(boundsOf(word.box, page))} WC="${wc}" CONTENT="${escapeXml(word.text)}"/>`,
          );
        });
        out.push('</TextLine>');
      }
      out.push('</TextBlock>');
    });
    out.push('</PrintSpace>', '</Page>');
  });
  out.push('</Layout>', '</alto>', '');
  return out.join('\n');
}
