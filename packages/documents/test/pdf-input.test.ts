import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import '@polyinfer/backend-ort-node';
import type { OcrPipeline } from '@polyinfer/models';
import { createOcrPipeline, DOCUMENT_SAMPLES_DIR, SAMPLES_DIR } from '@polyinfer/models';
import { decodeImage } from '@polyinfer/preprocess';
import type { DocumentPageOutcome } from '@polyinfer/documents';
import { ocrDocument, openPdf, parsePageRanges } from '@polyinfer/documents';

const RECEIPT = join(SAMPLES_DIR, 'receipt.png');
const COLUMNS = join(DOCUMENT_SAMPLES_DIR, 'columns.png');

let ocr: OcrPipeline;
let dir: string;
/** Two images made into a two-page PDF by img2pdf (Debian's), an outside writer: one image per page, no text. */
let scanned: Uint8Array;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyinfer-pdf-'));
  execFileSync('img2pdf', [RECEIPT, COLUMNS, '-o', join(dir, 'scan.pdf')]);
  scanned = new Uint8Array(readFileSync(join(dir, 'scan.pdf')));
  ocr = await createOcrPipeline({ backend: 'ort-node', devices: ['cpu'] });
});
afterAll(async () => {
  await ocr?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function collect(outcomes: AsyncIterable<DocumentPageOutcome>): Promise<DocumentPageOutcome[]> {
  const all: DocumentPageOutcome[] = [];
  for await (const o of outcomes) all.push(o);
  return all;
}

/** A PDF of `count` pages with selectable text, written by pdf-lib. */
async function textPdf(count: number, size: [number, number] = [400, 200]): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < count; i++)
    doc.addPage(size).drawText(`Printed page ${i + 1} of text`, { x: 30, y: size[1] / 2, size: 24, font });
  return doc;
}

describe('openPdf', () => {
  it("renders a scanned page at its picture's own resolution, other pages at 300 dpi, and says which had text", async () => {
    const render = async (bytes: Uint8Array, options: Parameters<typeof openPdf>[1] = {}) => {
      const pdf = await openPdf(bytes, options);
      const pages = await collectPages(pdf.pages());
      await pdf.close();
      return pages.map((p) => (p.error ? p.error.message : [p.image.width, p.image.height, p.dpi, p.hasTextLayer]));
    };
    // img2pdf makes a page of the image's pixels as points (72 per inch): the picture is 72 dpi, and upsampling it
    // would add no detail.
    expect(await render(scanned)).toEqual([
      [520, 560, 72, false],
      [1000, 400, 72, false],
    ]);
    expect(await render(scanned, { upsamplePictures: true, pages: '1' })).toEqual([
      [Math.floor((520 * 300) / 72), Math.floor((560 * 300) / 72), 300, false],
    ]);
    // A page of text has no resolution of its own: 300 dpi.
    expect(await render(await (await textPdf(1)).save())).toEqual([[1666, 833, 300, true]]);
  });

  it('reads the pages of a selection only, and a page already holding text says so', async () => {
    const bytes = await (await textPdf(5)).save();
    const pdf = await openPdf(bytes, { pages: '2,4-5', dpi: 72 });
    const pages = [];
    for await (const page of pdf.pages()) pages.push(page);
    await pdf.close();
    expect(pages.map((p) => [p.page, p.error ? p.error.message : p.hasTextLayer])).toEqual([
      [2, true],
      [4, true],
      [5, true],
    ]);
  });

  it('lowers the resolution of an absurdly large page to its pixel limit instead of running out of memory', async () => {
    const bytes = await (await textPdf(1, [14_400, 14_400])).save(); // 200 × 200 inches
    const pdf = await openPdf(bytes, { maxPixels: 4_000_000 });
    const [page] = await collectPages(pdf.pages());
    await pdf.close();
    expect(page!.error).toBeUndefined();
    if (page!.error) return;
    expect(page!.image.width * page!.image.height).toBeLessThanOrEqual(4_000_000);
    expect(page!.dpi).toBeCloseTo(10, 0);
  });

  it('gives a broken page its own typed error and still renders the pages after it', async () => {
    const doc = await textPdf(3);
    // Page 2 draws an image that does not exist: pdf.js would leave it half drawn; polyinfer refuses the page.
    doc.getPage(1).node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream('q /Missing Do Q', {})));
    const pdf = await openPdf(await doc.save(), { dpi: 72, source: 'broken.pdf' });
    const pages = await collectPages(pdf.pages());
    await pdf.close();
    expect(pages.map((p) => (p.error ? p.error.code : 'ok'))).toEqual(['ok', 'PDF_PAGE_FAILED', 'ok']);
    expect(pages[1]!.error!.message).toMatch(/^broken\.pdf, page 2: /);
  });

  it('refuses bytes that are not a PDF, a truncated PDF and a bad page range, each by name', async () => {
    await expect(
      openPdf(new TextEncoder().encode('%PDF-1.7 and then nothing'), { source: 'x.pdf' }),
    ).rejects.toMatchObject({
      code: 'PDF_INVALID',
      message: expect.stringContaining('x.pdf is not a readable PDF'),
    });
    await expect(openPdf(scanned.subarray(0, 400))).rejects.toMatchObject({ code: 'PDF_INVALID' });
    await expect(openPdf(scanned, { pages: '3' })).rejects.toMatchObject({
      code: 'PDF_PAGE_RANGE',
      message: 'pages "3": the document has 2 pages',
    });
    await expect(openPdf(scanned, { dpi: 0 })).rejects.toMatchObject({ code: 'PDF_INVALID' });
  });

  it('asks for the password of an encrypted PDF (made by qpdf) and opens it with the right one', async () => {
    const locked = join(dir, 'locked.pdf');
    execFileSync('qpdf', ['--encrypt', 'secret', 'owner', '256', '--', join(dir, 'scan.pdf'), locked]);
    const bytes = new Uint8Array(readFileSync(locked));
    await expect(openPdf(bytes, { source: 'locked.pdf' })).rejects.toMatchObject({
      code: 'PDF_ENCRYPTED',
      message: 'locked.pdf is encrypted: give its password (--password) to read it',
    });
    await expect(openPdf(bytes, { password: 'wrong' })).rejects.toMatchObject({ code: 'PDF_ENCRYPTED' });
    const pdf = await openPdf(bytes, { password: 'secret', pages: '1', dpi: 72 });
    const [page] = await collectPages(pdf.pages());
    await pdf.close();
    expect(page!.error).toBeUndefined();
  });
});

async function collectPages<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const p of pages) all.push(p);
  return all;
}

describe('ocrDocument', () => {
  it('reads each page of a scanned PDF as the image it was made from', async () => {
    const fromImages = [await ocr.run(RECEIPT), await ocr.run(COLUMNS)];
    const pages = await collect(ocrDocument(ocr, scanned, { source: 'scan.pdf' }));
    expect(pages.map((p) => [p.source, p.page])).toEqual([
      ['scan.pdf', 1],
      ['scan.pdf', 2],
    ]);
    pages.forEach((p, i) => {
      if (p.error) throw p.error;
      expect(p.result.lines.map((l) => l.text)).toEqual(fromImages[i]!.lines.map((l) => l.text));
      expect(p.result).toMatchObject({ page: i + 1, source: 'scan.pdf', hasTextLayer: false });
    });
  });

  it('reads an image as page 1, and a page that fails does not stop the pages after it', async () => {
    const [image] = await collect(ocrDocument(ocr, RECEIPT));
    expect(image).toMatchObject({ source: RECEIPT, page: 1 });
    let calls = 0;
    const flaky = {
      run: async (input: Parameters<OcrPipeline['run']>[0]) => {
        if (++calls === 1) throw new Error('the first page failed');
        return ocr.run(input);
      },
    };
    const pages = await collect(ocrDocument(flaky, scanned, { source: 'scan.pdf' }));
    expect(pages.map((p) => (p.error ? p.error.message : p.result.lines.length > 0))).toEqual([
      'the first page failed',
      true,
    ]);
  });
});

describe('ocrDocument with pages in flight', () => {
  it('starts the next pages while earlier ones are read, and yields them in page order', async () => {
    const bytes = await (await textPdf(4)).save();
    const started: number[] = [];
    let startedWhenFirstDone = 0;
    const slowFirst = {
      run: async (input: Parameters<OcrPipeline['run']>[0]) => {
        const page = started.push(0);
        // The first page waits until the third has started (or 5 s pass: pages read one at a time would fail here):
        // the others finish before it, and must still come after it.
        for (let waited = 0; page === 1 && started.length < 3 && waited < 5000; waited += 10)
          await new Promise((resolve) => setTimeout(resolve, 10));
        if (page === 1) startedWhenFirstDone = started.length;
        return ocr.run(input);
      },
    };
    const pages = await collect(ocrDocument(slowFirst, bytes, { dpi: 72, inFlight: 3 }));
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4]);
    // Three in flight, and no more: the fourth waits for the first to be handed out.
    expect(startedWhenFirstDone).toBe(3);
    expect(pages.map((p) => (p.error ? p.error.message : p.result.lines[0]?.text))).toEqual([
      'Printed page 1 of text',
      'Printed page 2 of text',
      'Printed page 3 of text',
      'Printed page 4 of text',
    ]);
  });
});

describe('parsePageRanges', () => {
  it('takes pages and ranges, open at either end, in ascending order, each once', () => {
    expect(parsePageRanges('1-3,7', 10)).toEqual([1, 2, 3, 7]);
    expect(parsePageRanges('8-, -2, 2', 10)).toEqual([1, 2, 8, 9, 10]);
    expect(parsePageRanges(undefined, 3)).toEqual([1, 2, 3]);
  });
  it('refuses what is not a range, an empty range and pages past the end', () => {
    expect(() => parsePageRanges('1-x', 5)).toThrow('"1-x" is not a page or a range');
    expect(() => parsePageRanges('4-2', 5)).toThrow('"4-2" is an empty range');
    expect(() => parsePageRanges('0', 5)).toThrow('"0" is an empty range');
    expect(() => parsePageRanges('6', 5)).toThrow('the document has 5 pages');
  });
});

describe('a PDF given as an image', () => {
  it('is refused by name, pointing to @polyinfer/documents', async () => {
    await expect(decodeImage(scanned)).rejects.toMatchObject({
      code: 'IMAGE_DECODE_FAILED',
      message: expect.stringContaining('it is a PDF, not an image'),
    });
    await expect(ocr.run(join(dir, 'scan.pdf'))).rejects.toMatchObject({ code: 'IMAGE_DECODE_FAILED' });
  });
});
