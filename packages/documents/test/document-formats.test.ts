import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse } from 'parse5';
import '@polyinfer/backend-ort-node';
import { characterErrorRate, normaliseWhitespace } from '@polyinfer/bench-core';
import type { OcrPipeline } from '@polyinfer/models';
import {
  createOcrPipeline,
  DOCUMENT_SAMPLES_DIR,
  documentSampleGroundTruth,
  sampleGroundTruth,
  SAMPLES_DIR,
} from '@polyinfer/models';
import type { OcrPageResult } from '@polyinfer/documents';
import { openPdf, toAlto, toHocr, toPlainText, toSearchablePdf, toTsv, TSV_COLUMNS } from '@polyinfer/documents';

// Pages polyinfer renders itself (`pnpm samples`): a receipt, a two-column page, a table, a form.
const FILES = [
  join(SAMPLES_DIR, 'receipt.png'),
  ...['columns.png', 'table.png', 'form.png'].map((f) => join(DOCUMENT_SAMPLES_DIR, f)),
];
const truth: Record<string, string[]> = { ...sampleGroundTruth(), ...documentSampleGroundTruth() };

let ocr: OcrPipeline;
const pages: OcrPageResult[] = [];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyinfer-documents-'));
  ocr = await createOcrPipeline({ backend: 'ort-node', devices: ['cpu'] });
  for (const [i, file] of FILES.entries()) pages.push({ ...(await ocr.run(file)), page: i + 1, source: file });
});
afterAll(async () => {
  await ocr?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const words = (page: OcrPageResult): string[] => page.lines.flatMap((l) => l.words.map((w) => w.text));

describe('page layout on rendered documents', () => {
  it("reads the receipt's rows, the two columns one after the other, the table and the form row by row", () => {
    for (const page of pages)
      expect(
        page.lines.map((l) => l.text),
        page.source,
      ).toEqual(truth[page.source!.split('/').pop()!]);
    const columns = pages[1]!;
    // Title, left column, right column: three blocks, and the text says so with blank lines.
    expect(columns.blocks.map((b) => b.lines.length)).toEqual([1, 6, 6]);
    expect(columns.text.split('\n\n')).toHaveLength(3);
    // Words are the line's text split at its spaces.
    for (const page of pages)
      for (const line of page.lines) expect(line.words.map((w) => w.text).join(' ')).toBe(line.text);
  });
});

/** Every element of a parse5 tree, depth first, with its ancestors' classes. */
interface HtmlElement {
  tagName: string;
  attrs: { name: string; value: string }[];
  childNodes?: HtmlElement[];
  value?: string;
}
function* elements(node: HtmlElement, classes: string[] = []): Generator<{ node: HtmlElement; ancestors: string[] }> {
  for (const child of node.childNodes ?? []) {
    if (!child.tagName) continue;
    yield { node: child, ancestors: classes };
    const own = child.attrs.find((a) => a.name === 'class')?.value;
    yield* elements(child, own ? [...classes, own] : classes);
  }
}
const textOf = (node: HtmlElement): string =>
  (node.childNodes ?? []).map((c) => (c.tagName ? textOf(c) : (c.value ?? ''))).join('');

describe('hOCR', () => {
  it('parses as HTML with one ocrx_word per word, nested page > carea > par > line, boxes inside the page', () => {
    const html = toHocr(pages);
    const all = [...elements(parse(html) as unknown as HtmlElement)];
    const classOf = (n: HtmlElement): string | undefined => n.attrs.find((a) => a.name === 'class')?.value;
    const titleOf = (n: HtmlElement): string => n.attrs.find((a) => a.name === 'title')?.value ?? '';
    const pageNodes = all.filter(({ node }) => classOf(node) === 'ocr_page');
    expect(pageNodes).toHaveLength(pages.length);
    const wordNodes = all.filter(({ node }) => classOf(node) === 'ocrx_word');
    expect(wordNodes.map(({ node }) => textOf(node))).toEqual(pages.flatMap(words));
    for (const { node, ancestors } of wordNodes) {
      expect(ancestors).toEqual(['ocr_page', 'ocr_carea', 'ocr_par', 'ocr_line']);
      const match = /bbox (\d+) (\d+) (\d+) (\d+); x_wconf (\d+)/.exec(titleOf(node));
      expect(match, titleOf(node)).not.toBeNull();
      const [x0, y0, x1, y1, conf] = match!.slice(1).map(Number) as [number, number, number, number, number];
      expect(x0).toBeLessThan(x1);
      expect(y0).toBeLessThan(y1);
      expect(conf).toBeGreaterThan(50);
      expect(conf).toBeLessThanOrEqual(100);
    }
    // Each page's words lie inside its bbox.
    pages.forEach((page, i) => {
      const pageWords = all.filter(
        ({ node }) =>
          classOf(node) === 'ocrx_word' &&
          node.attrs.some((a) => a.name === 'id' && a.value.startsWith(`word_${i + 1}_`)),
      );
      expect(pageWords).toHaveLength(words(page).length);
      for (const { node } of pageWords) {
        const [, , x1, y1] = /bbox (\d+) (\d+) (\d+) (\d+)/.exec(titleOf(node))!.slice(1).map(Number) as number[];
        expect(x1).toBeLessThanOrEqual(page.width);
        expect(y1).toBeLessThanOrEqual(page.height);
      }
      expect(titleOf(pageNodes[i]!.node)).toContain(`bbox 0 0 ${page.width} ${page.height}`);
    });
  });

  it('escapes text that would break the markup', () => {
    const page = pages[0]!;
    const tricky = {
      ...page,
      blocks: [
        {
          ...page.blocks[0]!,
          lines: [{ ...page.lines[0]!, words: [{ ...page.lines[0]!.words[0]!, text: 'a<b>&"c"' }] }],
        },
      ],
    };
    const html = toHocr([tricky]);
    const word = [...elements(parse(html) as unknown as HtmlElement)].find(({ node }) =>
      node.attrs.some((a) => a.value === 'ocrx_word'),
    );
    expect(textOf(word!.node)).toBe('a<b>&"c"');
  });
});

/** An element as fast-xml-parser gives it: attributes and children by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML: the test checks the shape it reads
type AltoElement = Record<string, any>;

describe('ALTO', () => {
  it('is well-formed ALTO 4: Page / PrintSpace / TextBlock / TextLine / String with positions and WC', () => {
    const xml = toAlto(pages);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['Page', 'TextBlock', 'TextLine', 'String', 'SP'].includes(name),
    }).parse(xml) as { alto: AltoElement };
    expect(doc.alto.xmlns).toBe('http://www.loc.gov/standards/alto/ns-v4#');
    expect(doc.alto.Description.MeasurementUnit).toBe('pixel');
    expect(doc.alto.Description.Processing.processingSoftware.softwareName).toBe('polyinfer');
    expect(doc.alto['xsi:schemaLocation']).toBe(
      'http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-4.xsd',
    );
    // Every ID is unique in the document (they are xsd:ID).
    const ids = [...xml.matchAll(/ ID="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const altoPages = doc.alto.Layout.Page as AltoElement[];
    expect(altoPages).toHaveLength(pages.length);
    altoPages.forEach((p, i) => {
      const page = pages[i]!;
      expect(p).toMatchObject({
        ID: `page_${i + 1}`,
        PHYSICAL_IMG_NR: String(i + 1),
        WIDTH: String(page.width),
        HEIGHT: String(page.height),
      });
      const blocks = p.PrintSpace.TextBlock as AltoElement[];
      expect(blocks).toHaveLength(page.blocks.length);
      const strings = blocks.flatMap((b) =>
        (b.TextLine as AltoElement[]).flatMap((l) => l.String as Record<string, string>[]),
      );
      expect(strings.map((s) => s.CONTENT)).toEqual(words(page));
      for (const s of strings) {
        for (const key of ['HPOS', 'VPOS', 'WIDTH', 'HEIGHT']) expect(Number(s[key]), key).toBeGreaterThanOrEqual(0);
        expect(Number(s.HPOS) + Number(s.WIDTH)).toBeLessThanOrEqual(page.width);
        expect(Number(s.VPOS) + Number(s.HEIGHT)).toBeLessThanOrEqual(page.height);
        expect(Number(s.WC)).toBeGreaterThan(0.5);
        expect(Number(s.WC)).toBeLessThanOrEqual(1);
      }
    });
  });
});

describe("Tesseract's TSV", () => {
  it('has its twelve columns, a row per page, block, paragraph, line and word, and the words in order', () => {
    const rows = toTsv(pages)
      .trimEnd()
      .split('\n')
      .map((r) => r.split('\t'));
    expect(rows[0]).toEqual([...TSV_COLUMNS]);
    for (const row of rows.slice(1)) expect(row).toHaveLength(12);
    const body = rows.slice(1);
    expect(body.filter((r) => r[0] === '1')).toHaveLength(pages.length);
    expect(body.filter((r) => r[0] === '4')).toHaveLength(pages.reduce((n, p) => n + p.lines.length, 0));
    const wordRows = body.filter((r) => r[0] === '5');
    expect(wordRows.map((r) => r[11])).toEqual(pages.flatMap(words));
    for (const r of wordRows) {
      expect(Number(r[10])).toBeGreaterThan(50);
      expect(Number(r[8])).toBeGreaterThan(0);
    }
    expect(body.filter((r) => r[0] !== '5').every((r) => r[10] === '-1' && r[11] === '')).toBe(true);
  });
});

describe('plain text', () => {
  it("is each page's text, pages separated by a form feed", () => {
    expect(toPlainText(pages)).toBe(pages.map((p) => `${p.text}\n`).join('\f'));
  });
});

describe('searchable PDF', () => {
  it("gives the OCR text back through Debian's pdftotext (CER ≤ 2 %), its words where the image has them", async () => {
    const written = await toSearchablePdf(
      pages.map((result) => ({ result, image: new Uint8Array(readFileSync(result.source!)) })),
      { title: 'polyinfer test' },
    );
    expect(written.words).toBe(pages.reduce((n, p) => n + words(p).length, 0));
    expect(written.replacedCharacters).toBe(0);
    const file = join(dir, 'searchable.pdf');
    writeFileSync(file, written.bytes);
    const pdf = await openPdf(written.bytes, { dpi: 72 });
    expect(pdf.pageCount).toBe(pages.length);
    const rendered = [];
    for await (const p of pdf.pages()) rendered.push(p);
    await pdf.close();
    expect(rendered.map((p) => (p.error ? p.error.message : p.hasTextLayer))).toEqual(pages.map(() => true));
    pages.forEach((page, i) => {
      // -raw reads the text layer in the order it was written: the OCR's reading order, columns one after the other.
      const text = execFileSync('pdftotext', ['-raw', '-f', `${i + 1}`, '-l', `${i + 1}`, file, '-'], {
        encoding: 'utf8',
      });
      const cer = characterErrorRate(normaliseWhitespace(text), normaliseWhitespace(page.text));
      expect(cer, `${page.source}: ${text}`).toBeLessThanOrEqual(0.02);
    });
    // Where pdftotext finds "Cappuccino" (points, 72 per inch: the image's pixels) is where OCR saw it.
    const boxes = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
    const found = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Cappuccino<\/word>/.exec(
      boxes,
    );
    expect(found, boxes).not.toBeNull();
    const seen = pages[0]!.lines.flatMap((l) => l.words).find((w) => w.text === 'Cappuccino')!.box;
    const [xMin, yMin, xMax, yMax] = found!.slice(1).map(Number) as [number, number, number, number];
    expect(Math.abs(xMin - seen[0][0])).toBeLessThan(4);
    expect(Math.abs(yMin - seen[0][1])).toBeLessThan(6);
    expect(Math.abs(yMax - seen[2][1])).toBeLessThan(6);
    // The word with its space reaches at most to the next word ("3.80", far to the right).
    expect(xMax).toBeGreaterThan(seen[1][0] - 4);
  });

  it('writes any script into the text layer (pdftotext reads Chinese back), "?" only beyond the BMP, and refuses a picture that is not PNG or JPEG', async () => {
    const page = pages[0]!;
    const words = [
      { ...page.lines[0]!.words[0]!, text: '今天天气很好' },
      { ...page.lines[0]!.words[1]!, text: 'ok😀' },
    ];
    const mixed = { ...page, blocks: [{ ...page.blocks[0]!, lines: [{ ...page.lines[0]!, words }] }] };
    const image = new Uint8Array(readFileSync(page.source!));
    const written = await toSearchablePdf([{ result: mixed, image }]);
    expect(written.replacedCharacters).toBe(1);
    const file = join(dir, 'chinese.pdf');
    writeFileSync(file, written.bytes);
    expect(execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).trim()).toBe('今天天气很好 ok?');
    await expect(toSearchablePdf([{ result: page, image: new Uint8Array([1, 2, 3, 4]) }])).rejects.toMatchObject({
      code: 'PDF_PAGE_IMAGE',
    });
  });
});
