import { ConfigError } from '@polyinfer/core';
import type { RgbImage } from '@polyinfer/preprocess/portable';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { parsePageRanges } from './page-ranges.js';
import { InvalidPdfError, PdfEncryptedError, PdfPageError } from './pdf-errors.js';

export interface PdfReadOptions {
  /**
   * Pixels per inch pages are rendered at (default 300), lowered for a page that would pass `maxPixels`, and for a
   * page that is one picture (a scan) to that picture's own resolution: upsampling adds no detail, and reading a
   * 72-dpi scan at 300 dpi lost lines (see `pnpm bench:ocr-pdf`).
   */
  dpi?: number;
  /** Render a one-picture page at `dpi` even above the picture's own resolution. Default false. */
  upsamplePictures?: boolean;
  /** Which pages, as "1-3,7" (default: all). */
  pages?: string;
  /** The most pixels a rendered page may have (default 50 megapixels: a 300-dpi A2 sheet). */
  maxPixels?: number;
  password?: string;
  /**
   * Browsers: the URL of pdf.js's worker script (`pdfjs-dist/legacy/build/pdf.worker.mjs`, served beside the app),
   * which pdf.js needs there. Node needs none.
   */
  workerSrc?: string;
  /** Names the document in errors (a path or URL); default "the PDF". */
  source?: string;
}

/** A rendered page, or why it could not be (the other pages still come). */
export type PdfPage =
  | {
      page: number;
      image: RgbImage;
      /** The pixels per inch it was rendered at. */
      dpi: number;
      /** The page has text a viewer can select already (a born-digital or an OCRed page). */
      hasTextLayer: boolean;
      error?: undefined;
    }
  | { page: number; error: PdfPageError };

interface CanvasAndContext {
  canvas: unknown;
  context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(canvasAndContext: CanvasAndContext): void;
}

/** An open PDF whose pages are rendered one at a time as they are asked for. */
export interface PdfReader {
  readonly pageCount: number;
  /** The selected pages, in order, each rendered when the loop asks for it (a 500-page PDF is never all in memory). */
  pages(): AsyncGenerator<PdfPage>;
  close(): Promise<void>;
}

/**
 * Opens PDF bytes with pdf.js (in Node it renders through @napi-rs/canvas). An encrypted PDF without its password,
 * or bytes that are not a PDF, are typed errors naming the document; a page that fails to render comes as its own
 * error and the reader goes on with the next.
 */
export async function openPdf(bytes: Uint8Array, options: PdfReadOptions = {}): Promise<PdfReader> {
  const source = options.source ?? 'the PDF';
  const dpi = options.dpi ?? 300;
  const maxPixels = options.maxPixels ?? 50_000_000;
  if (!(dpi > 0 && dpi <= 2400)) throw new InvalidPdfError(source, `dpi must be between 1 and 2400; got ${dpi}`);
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  if (options.workerSrc !== undefined) pdfjs.GlobalWorkerOptions.workerSrc = options.workerSrc;
  else if (typeof window !== 'undefined' && !pdfjs.GlobalWorkerOptions.workerSrc)
    throw new ConfigError(
      "openPdf in a browser needs workerSrc: the URL of pdf.js's worker (pdfjs-dist/legacy/build/pdf.worker.mjs, served beside the app)",
    );
  const pictureOps = new Set<number>([pdfjs.OPS.paintImageXObject, pdfjs.OPS.paintInlineImageXObject]);
  // pdf.js keeps (and detaches) the buffer it is given: it gets a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    stopAtErrors: true,
    verbosity: 0,
    ...(options.password === undefined ? {} : { password: options.password }),
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy();
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new PdfEncryptedError(source, error);
    throw new InvalidPdfError(source, (error as Error).message, error);
  }
  const selected = (() => {
    try {
      return parsePageRanges(options.pages, doc.numPages);
    } catch (error) {
      void doc.destroy();
      throw error;
    }
  })();
  return {
    pageCount: doc.numPages,
    async *pages() {
      for (const number of selected)
        yield await renderPage(doc, number, { dpi, maxPixels, source, pictureOps, upsample: options.upsamplePictures });
    },
    close: () => doc.destroy(),
  };
}

interface RenderSettings {
  dpi: number;
  maxPixels: number;
  source: string;
  /** pdf.js's operator codes that paint a picture. */
  pictureOps: ReadonlySet<number>;
  upsample: boolean | undefined;
}

async function renderPage(doc: PDFDocumentProxy, number: number, settings: RenderSettings): Promise<PdfPage> {
  const { maxPixels, source } = settings;
  let page;
  try {
    page = await doc.getPage(number);
  } catch (error) {
    return { page: number, error: new PdfPageError(source, number, (error as Error).message, error) };
  }
  try {
    const base = page.getViewport({ scale: 1 });
    const text = await page.getTextContent();
    const hasTextLayer = text.items.some((item) => 'str' in item && item.str.trim() !== '');
    let dpi = settings.dpi;
    if (!hasTextLayer && !settings.upsample) {
      // A page that paints one picture and nothing else to read is a scan: its pixels are all there is.
      const ops = await page.getOperatorList();
      const pictures = ops.fnArray.flatMap((fn, i) => (settings.pictureOps.has(fn) ? [ops.argsArray[i]] : []));
      const size = pictures.length === 1 ? (pictures[0] as unknown[]).slice(1, 3) : [];
      const [w, h] = size as [unknown, unknown];
      if (typeof w === 'number' && typeof h === 'number' && w > 0 && h > 0) {
        const own = Math.max(w / (base.width / 72), h / (base.height / 72));
        dpi = Math.min(dpi, own);
      }
    }
    // Lowered for a page that would pass the pixel limit (a poster, a page that says it is a mile wide).
    const scale = Math.min(dpi / 72, Math.sqrt(maxPixels / Math.max(1, base.width * base.height)));
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.floor(viewport.width));
    const height = Math.max(1, Math.floor(viewport.height));
    // pdf.js types its canvas factory as Object; in Node it is backed by @napi-rs/canvas, in pages by the DOM's.
    const factory = doc.canvasFactory as CanvasFactory;
    const { canvas, context } = factory.create(width, height);
    try {
      await page.render({ canvas, canvasContext: context, viewport, background: 'white' } as never).promise;
      const rgba = context.getImageData(0, 0, width, height).data;
      const rgb = new Uint8Array(width * height * 3);
      for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
        rgb[j] = rgba[i] as number;
        rgb[j + 1] = rgba[i + 1] as number;
        rgb[j + 2] = rgba[i + 2] as number;
      }
      return { page: number, image: { data: rgb, width, height }, dpi: scale * 72, hasTextLayer };
    } finally {
      factory.destroy({ canvas, context });
    }
  } catch (error) {
    return { page: number, error: new PdfPageError(source, number, (error as Error).message, error) };
  } finally {
    page.cleanup();
  }
}
