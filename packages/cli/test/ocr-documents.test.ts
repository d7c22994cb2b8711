import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate, normaliseWhitespace } from '@polyinfer/bench-core';
import { DOCUMENT_SAMPLES_DIR, documentSampleGroundTruth, SAMPLES_DIR } from '@polyinfer/models';
import { cli } from './run-cli.js';

const RECEIPT = join(SAMPLES_DIR, 'receipt.png');
const FORM = join(DOCUMENT_SAMPLES_DIR, 'form.png');
let dir: string;
let scan: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'polyinfer-cli-pdf-'));
  scan = join(dir, 'scan.pdf');
  // A two-page scan made by an outside tool (Debian's img2pdf) from two rendered pages.
  execFileSync('img2pdf', [RECEIPT, FORM, '-o', scan]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jsonLines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { image: string; page: number; text: string; lines: { text: string }[] });

describe('polyinfer ocr on PDFs and documents', () => {
  it('reads a two-page PDF through --json as it reads the two images, one object per page', async () => {
    const images = await cli('ocr', '--json', RECEIPT, FORM);
    const pdf = await cli('ocr', '--json', scan);
    expect([images.code, pdf.code]).toEqual([0, 0]);
    const fromImages = jsonLines(images.out);
    const fromPdf = jsonLines(pdf.out);
    expect(fromPdf.map((p) => [p.image, p.page])).toEqual([
      [scan, 1],
      [scan, 2],
    ]);
    expect(fromPdf.map((p) => p.lines.map((l) => l.text))).toEqual(fromImages.map((p) => p.lines.map((l) => l.text)));
    expect(fromPdf[1]!.text).toBe(
      'Application for a library card\n\nFull name: Maria Jensen\nDate of birth: 14 March 1991\nAddress: 7 Mill Lane, Bristol\nPhone: 0117 496 0321',
    );
  });

  it('reads the pages in worker threads with --workers, two at a time, in page order', async () => {
    const one = await cli('ocr', '--json', scan);
    const pool = await cli('ocr', '--json', '--workers', '2', scan);
    expect(pool.code).toBe(0);
    const texts = (out: string) => jsonLines(out).map((p) => [p.page, p.lines.map((l) => l.text)]);
    expect(texts(pool.out)).toEqual(texts(one.out));
  });

  it('writes a searchable PDF whose text pdftotext reads back (CER ≤ 2 %), pages in order', async () => {
    const out = join(dir, 'searchable.pdf');
    const { code } = await cli('ocr', '--format', 'pdf', '--out', out, scan);
    expect(code).toBe(0);
    const { out: text } = await cli('ocr', '--format', 'text', scan);
    const pages = text.split('\f');
    expect(pages).toHaveLength(2);
    pages.forEach((page, i) => {
      const back = execFileSync('pdftotext', ['-raw', '-f', `${i + 1}`, '-l', `${i + 1}`, out, '-'], {
        encoding: 'utf8',
      });
      expect(characterErrorRate(normaliseWhitespace(back), normaliseWhitespace(page)), back).toBeLessThanOrEqual(0.02);
    });
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(/Pages:\s+2\n/);
  });

  it('writes hOCR, ALTO and TSV of the selected pages, to standard output or --out, page numbers kept', async () => {
    const hocr = await cli('ocr', '--format', 'hocr', '--pages', '2', scan);
    expect(hocr.code).toBe(0);
    expect(hocr.out).toContain('<div class="ocr_page" id="page_2"');
    const formWords = documentSampleGroundTruth()['form.png']!.join(' ').split(' ');
    expect(hocr.out.match(/class="ocrx_word"/g)).toHaveLength(formWords.length);
    expect(hocr.out).not.toContain('id="page_1"');
    const tsvFile = join(dir, 'out.tsv');
    expect((await cli('ocr', '--format', 'tsv', '--out', tsvFile, scan)).code).toBe(0);
    const rows = readFileSync(tsvFile, 'utf8').trimEnd().split('\n');
    expect(rows.filter((r) => r.startsWith('1\t')).map((r) => r.split('\t')[1])).toEqual(['1', '2']);
    const alto = await cli('ocr', '--format', 'alto', RECEIPT);
    expect(alto.out).toContain('<String ID="string_1_3" ');
    expect(alto.out).toContain('CONTENT="Cappuccino"');
  });

  it('reports a page that already has a text layer, and a broken PDF without stopping the other inputs', async () => {
    const broken = join(dir, 'broken.pdf');
    writeFileSync(broken, readFileSync(scan).subarray(0, 500));
    const { code, out, err } = await cli('ocr', '--format', 'json', broken, RECEIPT);
    expect(code).toBe(1);
    const [first, second] = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ image: broken, error: { code: 'PDF_INVALID' } });
    expect(second).toMatchObject({ image: RECEIPT, page: 1 });
    expect(err).toContain(`${broken} is not a readable PDF`);
    const searchable = join(dir, 'searchable.pdf');
    const again = await cli('ocr', '--format', 'text', searchable);
    expect(again.err).toContain(`${searchable}, page 1 already has a text layer`);
  });

  it('refuses options that do not fit, before reading anything', async () => {
    const cases: [string[], string][] = [
      [['--format', 'pdf', scan], '--format pdf writes a file: name it with --out FILE'],
      [['--format', 'xml', scan], '--format takes one of text, json, hocr, alto, tsv, pdf; got "xml"'],
      [['--dpi', '0', scan], '--dpi takes pixels per inch, above 0 and at most 2400; got "0"'],
      [['--json', '--format', 'hocr', scan], '--json is --format json'],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await cli('ocr', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toContain(message);
    }
  });
});
