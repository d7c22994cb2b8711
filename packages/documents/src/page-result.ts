import type { Box, OcrResult } from '@polyinfer/models';

/** One page's OCR result: an image is page 1; a PDF gives one per page, numbered from 1 as the PDF numbers them. */
export interface OcrPageResult extends OcrResult {
  page: number;
  /** Where the page came from (a file name or URL), for formats that record it. */
  source?: string;
  /** The PDF page already had text that a PDF viewer can select (OCR ran on it all the same). */
  hasTextLayer?: boolean;
}

/** What a page format reads of a page: its size, number and blocks. */
export type PageForFormat = Pick<OcrResult, 'width' | 'height' | 'blocks'> & { page?: number; source?: string };

/** An axis-aligned integer rectangle around a quadrilateral, clipped to the page. */
export interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function boundsOf(box: Box, page: { width: number; height: number }): Bounds {
  const xs = box.map((p) => p[0]);
  const ys = box.map((p) => p[1]);
  const clip = (v: number, max: number): number => Math.max(0, Math.min(max, Math.round(v)));
  return {
    left: clip(Math.min(...xs), page.width),
    top: clip(Math.min(...ys), page.height),
    right: clip(Math.max(...xs), page.width),
    bottom: clip(Math.max(...ys), page.height),
  };
}
