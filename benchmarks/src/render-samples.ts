import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * Renders the sample images the OCR tests and the demo use: printed English in several fonts and sizes, a
 * paragraph, a receipt, light-on-dark text. The ground truth is what was drawn, line by line in reading order.
 * Regenerate with `pnpm samples` (needs the DejaVu fonts, which Debian installs by default).
 */

export interface TextItem {
  text: string;
  x: number;
  y: number;
  size: number;
  font?: string;
  weight?: 'normal' | 'bold';
  anchor?: 'start' | 'middle' | 'end';
  /** The text block the item belongs to, in reading order (a column of a two-column page); default 0. */
  block?: number;
}

export interface Sample {
  name: string;
  width: number;
  height: number;
  background: string;
  color: string;
  items: TextItem[];
  /** Degrees clockwise the rendered page is turned (a photo taken askew, a page upside down). */
  rotate?: number;
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function svgOf(sample: Sample): string {
  const texts = sample.items
    .map(
      (t) =>
        `<text x="${t.x}" y="${t.y}" font-family="${t.font ?? 'DejaVu Sans'}" font-size="${t.size}" font-weight="${t.weight ?? 'normal'}" text-anchor="${t.anchor ?? 'start'}" fill="${sample.color}" xml:space="preserve">${escape(t.text)}</text>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${sample.width}" height="${sample.height}"><rect width="100%" height="100%" fill="${sample.background}"/>${texts}</svg>`;
}

const paragraph = [
  'The quick brown fox jumps over the lazy dog.',
  'Pack my box with five dozen liquor jugs, then',
  'ship it to 42 Wallaby Way before 9 in the morning.',
  'Every backend runs the same model file, and the',
  'benchmark compares them side by side in one run.',
];

export const SAMPLES: Sample[] = [
  {
    name: 'fonts',
    width: 900,
    height: 360,
    background: '#ffffff',
    color: '#111111',
    items: [
      { text: 'Sans serif at twenty eight pixels', x: 40, y: 60, size: 28 },
      { text: 'A serif face, slightly larger', x: 40, y: 130, size: 36, font: 'DejaVu Serif' },
      { text: 'monospace: const total = 1024;', x: 40, y: 190, size: 24, font: 'DejaVu Sans Mono' },
      { text: 'BOLD HEADLINE 2026', x: 40, y: 270, size: 46, weight: 'bold' },
      { text: 'Small print for the fine details', x: 40, y: 320, size: 20, font: 'DejaVu Serif' },
    ],
  },
  {
    name: 'paragraph',
    width: 760,
    height: 280,
    background: '#ffffff',
    color: '#000000',
    items: paragraph.map((text, i) => ({ text, x: 30, y: 50 + i * 46, size: 24 })),
  },
  {
    name: 'receipt',
    width: 520,
    height: 560,
    background: '#fbfaf5',
    color: '#1a1a1a',
    items: [
      { text: 'CORNER CAFE', x: 260, y: 60, size: 34, weight: 'bold', anchor: 'middle' },
      { text: '12 Harbour Street', x: 260, y: 100, size: 20, anchor: 'middle' },
      { text: 'Cappuccino', x: 40, y: 170, size: 24, font: 'DejaVu Sans Mono' },
      { text: '3.80', x: 480, y: 170, size: 24, font: 'DejaVu Sans Mono', anchor: 'end' },
      { text: 'Blueberry muffin', x: 40, y: 215, size: 24, font: 'DejaVu Sans Mono' },
      { text: '2.95', x: 480, y: 215, size: 24, font: 'DejaVu Sans Mono', anchor: 'end' },
      { text: 'Orange juice', x: 40, y: 260, size: 24, font: 'DejaVu Sans Mono' },
      { text: '4.20', x: 480, y: 260, size: 24, font: 'DejaVu Sans Mono', anchor: 'end' },
      { text: 'TOTAL', x: 40, y: 340, size: 28, font: 'DejaVu Sans Mono', weight: 'bold' },
      { text: '10.95', x: 480, y: 340, size: 28, font: 'DejaVu Sans Mono', weight: 'bold', anchor: 'end' },
      { text: 'Paid by card', x: 40, y: 400, size: 22 },
      { text: 'Thank you for visiting', x: 260, y: 480, size: 22, anchor: 'middle' },
    ],
  },
  {
    name: 'dark',
    width: 800,
    height: 240,
    background: '#1b2230',
    color: '#f2f2f2',
    items: [
      { text: 'Light text on a dark background', x: 40, y: 80, size: 32 },
      { text: 'Night mode screenshots read too', x: 40, y: 150, size: 28, font: 'DejaVu Serif' },
      { text: 'Version 3.1 released today', x: 40, y: 205, size: 24 },
    ],
  },
  {
    name: 'tilted',
    width: 760,
    height: 260,
    background: '#ffffff',
    color: '#202020',
    rotate: 7,
    items: [
      { text: 'A page photographed at an angle', x: 40, y: 90, size: 30 },
      { text: 'still reads line by line', x: 40, y: 160, size: 30, font: 'DejaVu Serif' },
    ],
  },
  {
    name: 'upside-down',
    width: 700,
    height: 200,
    background: '#ffffff',
    color: '#000000',
    rotate: 180,
    items: [
      { text: 'This label was scanned upside down', x: 40, y: 80, size: 28 },
      { text: 'and the angle classifier turns it', x: 40, y: 150, size: 28 },
    ],
  },
];

/**
 * Pages with a layout to read right (rendered to `documents/`, apart from the samples every backend's test reads): a
 * two-column page, a table and a form. The receipt of SAMPLES is the fourth.
 */
export const DOCUMENT_SAMPLES: Sample[] = [
  {
    name: 'columns',
    width: 1000,
    height: 400,
    background: '#ffffff',
    color: '#111111',
    items: [
      { text: 'Two Columns Of Text', x: 500, y: 60, size: 32, weight: 'bold', anchor: 'middle' },
      ...[
        'The left column starts here and runs',
        'down the page for six short lines,',
        'each one set in the same plain face',
        'so that a reader takes it first and',
        'only then moves over to the right',
        'where the second column begins.',
      ].map((text, i) => ({ text, x: 40, y: 130 + i * 40, size: 20, block: 1 })),
      ...[
        'The right column sits beside it with',
        'a wide gutter between the two, and',
        'its lines share their baselines with',
        'the lines on the left, which is why',
        'joining every row across the page',
        'would mix the two columns together.',
      ].map((text, i) => ({ text, x: 540, y: 130 + i * 40, size: 20, block: 2 })),
    ],
  },
  {
    name: 'table',
    width: 760,
    height: 300,
    background: '#ffffff',
    color: '#1a1a1a',
    items: [
      ['Part', 'Qty', 'Unit', 'Amount'],
      ['Copper wire', '12', '0.45', '5.40'],
      ['Steel bolts', '40', '0.12', '4.80'],
      ['Rubber seal', '3', '2.10', '6.30'],
      ['Brass hinge', '2', '7.25', '14.50'],
    ].flatMap((cells, row) =>
      cells.map((text, col) => ({
        text,
        x: [40, 330, 470, 720][col] as number,
        y: 60 + row * 50,
        size: 22,
        anchor: col === 0 ? ('start' as const) : ('end' as const),
        ...(row === 0 ? { weight: 'bold' as const } : {}),
      })),
    ),
  },
  {
    name: 'form',
    width: 800,
    height: 330,
    background: '#fdfdf8',
    color: '#202020',
    items: [
      { text: 'Application for a library card', x: 40, y: 60, size: 28, weight: 'bold' },
      ...[
        ['Full name:', 'Maria Jensen'],
        ['Date of birth:', '14 March 1991'],
        ['Address:', '7 Mill Lane, Bristol'],
        ['Phone:', '0117 496 0321'],
      ].flatMap(([label, value], row) => [
        { text: label as string, x: 40, y: 140 + row * 48, size: 22 },
        { text: value as string, x: 300, y: 140 + row * 48, size: 22, font: 'DejaVu Serif' },
      ]),
    ],
  },
];

/**
 * Lines in reading order, as a reader has them: block by block (a column after the one to its left), top to bottom,
 * and the items on one baseline (within 10 px) of a block joined left to right by a space — a receipt's item and its
 * price are one line.
 */
export function groundTruthOf(sample: Sample): string[] {
  // As printed: a page photographed upside down is still read top line first once the lines are turned.
  const sorted = [...sample.items].sort(
    (a, b) => (a.block ?? 0) - (b.block ?? 0) || (Math.abs(a.y - b.y) < 10 ? a.x - b.x : a.y - b.y),
  );
  const lines: string[] = [];
  sorted.forEach((item, i) => {
    const before = sorted[i - 1];
    if (before && (before.block ?? 0) === (item.block ?? 0) && Math.abs(before.y - item.y) < 10)
      lines[lines.length - 1] += ` ${item.text}`;
    else lines.push(item.text);
  });
  return lines;
}

export async function renderSamples(dir: string): Promise<void> {
  await renderInto(dir, SAMPLES);
  await renderInto(join(dir, 'documents'), DOCUMENT_SAMPLES);
}

async function renderInto(dir: string, samples: readonly Sample[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const truth: Record<string, string[]> = {};
  for (const sample of samples) {
    const page = await sharp(Buffer.from(svgOf(sample)))
      .png()
      .toBuffer();
    await sharp(page)
      .rotate(sample.rotate ?? 0, { background: sample.background })
      .png({ compressionLevel: 9, palette: true })
      .toFile(join(dir, `${sample.name}.png`));
    truth[`${sample.name}.png`] = groundTruthOf(sample);
  }
  await writeFile(join(dir, 'ground-truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'samples';
  await renderSamples(dir);
  console.log(
    `wrote ${SAMPLES.length} samples, ${DOCUMENT_SAMPLES.length} in documents/, and their ground-truth.json to ${dir}`,
  );
}
