import { describe, expect, it } from 'vitest';
import type { Point, Quad } from '@polyinfer/preprocess';
// The assembly is internal to the OCR pipeline: tested from its sources, on boxes laid out by hand.
import type { LayoutSegment, PageGeometry } from '../src/ocr/page-layout.js';
import { assemblePage } from '../src/ocr/page-layout.js';
import { quadSlice, wordQuads } from '../src/ocr/word-boxes.js';
import type { CtcChar } from '../src/decoders/ctc-decoder.js';

const PAGE: PageGeometry = { turn: 0, width: 1000, height: 800 };

/** A recognised box at (x, y) of `width` × `height` pixels, its words spread evenly over it. */
function box(text: string, x: number, y: number, width = text.length * 12, height = 28): LayoutSegment {
  const quad: Quad = [
    { x, y },
    { x: x + width, y },
    { x: x + width, y: y + height },
    { x, y: y + height },
  ];
  const words = text.split(' ');
  return {
    box: quad,
    text,
    confidence: 0.9,
    angle: 0,
    words: words.map((w, i) => ({
      text: w,
      confidence: 0.9,
      quad: quadSlice(quad, i / words.length, (i + 0.9) / words.length),
    })),
  };
}

const texts = (segments: LayoutSegment[], page = PAGE, layout: 'auto' | 'single-block' | 'sparse' = 'auto') =>
  assemblePage(segments, page, layout).lines.map((l) => l.text);

/** Shuffled deterministically: the assembly must not depend on the detector's order. */
const shuffled = <T>(items: T[]): T[] =>
  items
    .map((item, i) => ({ item, key: (i * 7919) % 101 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);

const PROSE_LEFT = [
  'one two three four five',
  'six seven eight nine ten',
  'alpha beta gamma delta eps',
  'left ends here now ok',
];
const PROSE_RIGHT = [
  'right side one two three',
  'and four five six seven',
  'more words in this col',
  'right ends here too yes',
];

function twoColumns(): LayoutSegment[] {
  return [
    box('A Title Across', 400, 20),
    ...PROSE_LEFT.map((t, i) => box(t, 40, 100 + i * 40, 400)),
    ...PROSE_RIGHT.map((t, i) => box(t, 540, 100 + i * 40, 400)),
  ];
}

describe('assemblePage', () => {
  it("joins a receipt's item and its far-away price into one line, in row order", () => {
    const segments = [
      box('CORNER CAFE', 180, 20),
      box('Cappuccino', 40, 100),
      box('3.80', 420, 101),
      box('Orange juice', 40, 145),
      box('4.20', 420, 144),
    ];
    expect(texts(shuffled(segments))).toEqual(['CORNER CAFE', 'Cappuccino 3.80', 'Orange juice 4.20']);
    const page = assemblePage(segments, PAGE, 'auto');
    // The line's words are its boxes' words, left to right; its box spans them.
    expect(page.lines[1]!.words.map((w) => w.text)).toEqual(['Cappuccino', '3.80']);
    expect(page.lines[1]!.box).toEqual([
      [40, 100],
      [468, 100],
      [468, 129],
      [40, 129],
    ]);
  });

  it('reads a two-column page column by column, each column its own block', () => {
    const page = assemblePage(shuffled(twoColumns()), PAGE, 'auto');
    expect(page.lines.map((l) => l.text)).toEqual(['A Title Across', ...PROSE_LEFT, ...PROSE_RIGHT]);
    expect(page.blocks.map((b) => b.lines.length)).toEqual([1, 4, 4]);
    expect(page.text).toBe(['A Title Across', PROSE_LEFT.join('\n'), PROSE_RIGHT.join('\n')].join('\n\n'));
  });

  it('reads columns whose baselines do not line up as columns, not as interleaved rows', () => {
    const offset = [
      box('A Title Across', 400, 20),
      ...PROSE_LEFT.map((t, i) => box(t, 40, 100 + i * 40, 400)),
      ...PROSE_RIGHT.map((t, i) => box(t, 540, 118 + i * 40, 400)), // half a line lower than the left column
    ];
    expect(texts(shuffled(offset))).toEqual(['A Title Across', ...PROSE_LEFT, ...PROSE_RIGHT]);
  });

  it('reads a table and a form row by row: their cells are too short to be columns of prose', () => {
    const table = [
      ['Part', 'Qty', 'Amount'],
      ['Copper wire', '12', '5.40'],
      ['Steel bolts', '40', '4.80'],
      ['Rubber seal', '3', '6.30'],
    ].flatMap((row, r) => row.map((cell, c) => box(cell, [40, 330, 600][c] as number, 40 + r * 48)));
    expect(texts(shuffled(table))).toEqual([
      'Part Qty Amount',
      'Copper wire 12 5.40',
      'Steel bolts 40 4.80',
      'Rubber seal 3 6.30',
    ]);
    const form = [
      ['Full name:', 'Maria Jensen'],
      ['Date of birth:', '14 March 1991'],
      ['Address:', '7 Mill Lane, Bristol'],
    ].flatMap(([label, value], r) => [box(label!, 40, 40 + r * 48), box(value!, 400, 40 + r * 48)]);
    expect(texts(form)).toEqual([
      'Full name: Maria Jensen',
      'Date of birth: 14 March 1991',
      'Address: 7 Mill Lane, Bristol',
    ]);
  });

  it('keeps the order on a slanted page and on a page turned upside down', () => {
    const angle = (6 * Math.PI) / 180;
    const turn = (p: Point): Point => ({
      x: 500 + (p.x - 500) * Math.cos(angle) - (p.y - 400) * Math.sin(angle),
      y: 400 + (p.x - 500) * Math.sin(angle) + (p.y - 400) * Math.cos(angle),
    });
    const slanted = twoColumns().map((s) => ({ ...s, box: s.box.map(turn) as unknown as Quad }));
    expect(texts(slanted)).toEqual(['A Title Across', ...PROSE_LEFT, ...PROSE_RIGHT]);
    // Upside down: each box starts at its text's top-left corner, now at the bottom right of the image.
    const flip = (p: Point): Point => ({ x: PAGE.width - p.x, y: PAGE.height - p.y });
    const upsideDown = twoColumns().map((s) => ({ ...s, box: s.box.map(flip) as unknown as Quad }));
    expect(texts(upsideDown, { ...PAGE, turn: 2 })).toEqual(['A Title Across', ...PROSE_LEFT, ...PROSE_RIGHT]);
  });

  it('starts a block at a gap taller than a line', () => {
    const page = assemblePage(
      [box('first paragraph', 40, 40), box('still first', 40, 80), box('second', 40, 200)],
      PAGE,
      'auto',
    );
    expect(page.blocks.map((b) => b.lines.map((l) => l.text))).toEqual([
      ['first paragraph', 'still first'],
      ['second'],
    ]);
    expect(page.text).toBe('first paragraph\nstill first\n\nsecond');
  });

  it('single-block never splits columns; sparse keeps each detected box a line of its own', () => {
    const mixed = PROSE_LEFT.map((left, i) => `${left} ${PROSE_RIGHT[i]}`);
    expect(texts(twoColumns(), PAGE, 'single-block')).toEqual(['A Title Across', ...mixed]);
    expect(assemblePage(twoColumns(), PAGE, 'single-block').blocks).toHaveLength(1);
    const receipt = [box('Cappuccino', 40, 100), box('3.80', 420, 101)];
    expect(texts(receipt, PAGE, 'sparse')).toEqual(['Cappuccino', '3.80']);
  });

  it('gives an empty page no blocks, lines or text', () => {
    expect(assemblePage([], PAGE, 'auto')).toEqual({ blocks: [], lines: [], text: '' });
  });
});

describe('wordQuads', () => {
  const chars = (text: string, stepsPerChar: number): CtcChar[] =>
    [...text].map((char, i) => ({
      char,
      start: i * stepsPerChar + 1,
      end: i * stepsPerChar + 1,
      probability: 0.5 + i / 100,
    }));
  // A 400-pixel box, widened by 20 pixels at both ends into its crop; 44 steps over the crop.
  const box: Quad = [
    { x: 20, y: 0 },
    { x: 420, y: 0 },
    { x: 420, y: 30 },
    { x: 20, y: 30 },
  ];
  const crop: Quad = [
    { x: 0, y: 0 },
    { x: 440, y: 0 },
    { x: 440, y: 30 },
    { x: 0, y: 30 },
  ];

  it('splits at spaces and places each word where its characters were emitted, in order and inside the box', () => {
    const words = wordQuads(chars('ab cd', 10), crop, box, 1 / 50);
    expect(words.map((w) => w.text)).toEqual(['ab', 'cd']);
    expect(words[0]!.confidence).toBeCloseTo((0.5 + 0.51) / 2, 6);
    const [first, second] = words.map((w) => [w.quad[0].x, w.quad[1].x] as const);
    // Letters at steps 1, 11, 31, 41 of 50 over 440 pixels (8.8 a step): a pitch of 40 / 3 steps, half of it on
    // each side of a word, from the first step's start to the last step's end.
    const half = 20 / 3;
    expect(first![0]).toBeCloseTo(20, 6); // clipped to the box
    expect(first![1]).toBeCloseTo((12 + half) * 8.8, 6);
    expect(second![0]).toBeCloseTo((31 - half) * 8.8, 6);
    expect(first![1]).toBeLessThanOrEqual(second![0]);
    expect(second![1]).toBeLessThanOrEqual(420);
  });

  it('has no words for a box without characters', () => {
    expect(wordQuads([], crop, box, 1 / 50)).toEqual([]);
  });
});
