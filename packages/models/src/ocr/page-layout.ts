import type { Point, Quad } from '@polyinfer/preprocess/portable';
import { quadCorners } from '@polyinfer/preprocess/portable';
import type { OcrBlock, OcrLayout, OcrLine, OcrWord } from './ocr-result.js';
import type { PageTurn } from './reading-order.js';
import { sortReadingOrderTurned, uprightPoint } from './reading-order.js';
import type { WordQuad } from './word-boxes.js';

/** One recognised detector box: a run of words on one line. */
export interface LayoutSegment {
  /** Its corners as read (top-left of its text first), in the image. */
  box: Quad;
  text: string;
  confidence: number;
  angle: 0 | 180;
  words: WordQuad[];
}

export interface PageGeometry {
  /** Quarter turns of the page (0 upright). */
  turn: PageTurn;
  width: number;
  height: number;
}

/** Thresholds of the assembly, in line heights unless named otherwise. */
export const LAYOUT_RULES = {
  /** Two boxes are on one line when they overlap vertically by at least this share of the lower one. */
  rowOverlap: 0.5,
  /** A gutter between columns is at least this wide. */
  gutterWidth: 1,
  /** Each side of a gutter spans at least this share of the rows' width (narrower: a price column, a form's labels). */
  columnShare: 0.3,
  /** A gutter runs down at least this many rows of text on each side. */
  columnRows: 3,
  /**
   * Each side's lines hold at least this many words (the median line): prose set in columns. Table cells and a
   * form's labels and values are shorter, and are read row by row.
   */
  columnWords: 4,
  /**
   * A gap between two lines starts a new block when it is this many times the run's usual gap (its lower median)
   * and at least half a line high, or when it is more than `blockBreak` lines high whatever the usual gap.
   */
  blockGap: 1.5,
  blockBreak: 2,
} as const;

/** A box in the reading frame: the page turned upright and straightened, where lines are horizontal. */
interface Placed {
  segment: LayoutSegment;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

interface Row {
  items: Placed[];
  y0: number;
  y1: number;
}

/** Page text assembled: blocks of lines of words, in reading order. */
export interface PageText {
  blocks: OcrBlock[];
  lines: OcrLine[];
  text: string;
}

/**
 * Assembles recognised boxes into lines, blocks and columns in reading order. In the reading frame (the page turned
 * upright, then straightened by the boxes' median slant) boxes that overlap vertically form one line, joined left to
 * right however far apart (a receipt's item and its price). A band of rows that a gutter runs down, with wide text on
 * both sides, is read as columns, left column first; otherwise a row is one line across the page (tables and forms
 * read row by row). Blocks break at a gap taller than a line, and at columns.
 */
export function assemblePage(segments: readonly LayoutSegment[], page: PageGeometry, layout: OcrLayout): PageText {
  const frame = readingFrame(segments, page);
  const blocks: OcrBlock[] = [];
  if (layout === 'sparse') {
    const ordered = sortReadingOrderTurned(
      segments.map((segment) => ({ segment, quad: segment.box })),
      page.turn,
      page.width,
      page.height,
    );
    if (ordered.length > 0)
      blocks.push(
        blockOf(
          ordered.map(({ segment }) => [place(segment, frame)]),
          frame,
        ),
      );
  } else {
    const rows = rowsOf(segments.map((s) => place(s, frame)));
    if (layout === 'single-block') {
      if (rows.length > 0)
        blocks.push(
          blockOf(
            rows.map((r) => r.items),
            frame,
          ),
        );
    } else {
      for (const run of readColumns(rows)) for (const lines of splitBlocks(run)) blocks.push(blockOf(lines, frame));
    }
  }
  const lines = blocks.flatMap((b) => b.lines);
  const text = blocks.map((b) => b.lines.map((l) => l.text).join('\n')).join('\n\n');
  return { blocks, lines, text };
}

/** Image ⇄ reading frame: the page turned upright, then rotated so that its text runs horizontally. */
interface Frame {
  to(p: Point): Point;
  from(p: Point): Point;
}

function readingFrame(segments: readonly LayoutSegment[], page: PageGeometry): Frame {
  const upright = (p: Point): Point => uprightPoint(page.turn, page.width, page.height, p);
  // The page's slant: the median direction of the top edges of boxes clearly wider than tall.
  const slants = segments
    .map((s) => [upright(s.box[0]), upright(s.box[1]), upright(s.box[3])] as const)
    .filter(([tl, tr, bl]) => Math.hypot(tr.x - tl.x, tr.y - tl.y) > 2 * Math.hypot(bl.x - tl.x, bl.y - tl.y))
    .map(([tl, tr]) => Math.atan2(tr.y - tl.y, tr.x - tl.x))
    .sort((a, b) => a - b);
  const slant = slants.length > 0 ? (slants[Math.floor(slants.length / 2)] as number) : 0;
  const cos = Math.cos(slant);
  const sin = Math.sin(slant);
  const inverse = inverseUpright(page);
  return {
    to(p) {
      const q = upright(p);
      return { x: q.x * cos + q.y * sin, y: -q.x * sin + q.y * cos };
    },
    from(p) {
      return inverse({ x: p.x * cos - p.y * sin, y: p.x * sin + p.y * cos });
    },
  };
}

/** The inverse of `uprightPoint` for a page of the given size. */
function inverseUpright({ turn, width, height }: PageGeometry): (p: Point) => Point {
  if (turn === 2) return (p) => ({ x: width - p.x, y: height - p.y });
  if (turn === 1) return (p) => ({ x: width - p.y, y: p.x });
  if (turn === 3) return (p) => ({ x: p.y, y: height - p.x });
  return (p) => p;
}

function place(segment: LayoutSegment, frame: Frame): Placed {
  const corners = segment.box.map((p) => frame.to(p));
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  return { segment, x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
}

/** Boxes grouped into rows of one line each (vertical overlap), rows top to bottom, boxes left to right. */
function rowsOf(placed: readonly Placed[]): Row[] {
  const rows: Row[] = [];
  const byMiddle = [...placed].sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  for (const item of byMiddle) {
    let best: Row | undefined;
    let bestOverlap = 0;
    // The rows a box can join are the last few: boxes come in order of their middles.
    for (let i = rows.length - 1; i >= Math.max(0, rows.length - 4); i--) {
      const row = rows[i] as Row;
      const overlap = Math.min(row.y1, item.y1) - Math.max(row.y0, item.y0);
      const lower = Math.min(row.y1 - row.y0, item.y1 - item.y0);
      const share = overlap / Math.max(1, lower);
      if (share >= LAYOUT_RULES.rowOverlap && share > bestOverlap && !row.items.some((o) => overlapsX(o, item))) {
        best = row;
        bestOverlap = share;
      }
    }
    if (best) {
      best.items.push(item);
      best.y0 = Math.min(best.y0, item.y0);
      best.y1 = Math.max(best.y1, item.y1);
    } else rows.push({ items: [item], y0: item.y0, y1: item.y1 });
  }
  for (const row of rows) row.items.sort((a, b) => a.x0 - b.x0);
  return rows.sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
}

/** Two boxes side by side rather than one above the other (they share more than half the narrower's width). */
function overlapsX(a: Placed, b: Placed): boolean {
  const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  return overlap > 0.5 * Math.min(a.x1 - a.x0, b.x1 - b.x0);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] as number);
};

/**
 * Rows → runs of lines in reading order. A band of consecutive rows that one gutter runs down, with text on both
 * sides wide enough to be columns, is read column by column (each column again, for three or more); every other row
 * is one line across. Each run is a list of lines, a line the boxes it joins.
 */
function readColumns(rows: readonly Row[]): Placed[][][] {
  const runs: Placed[][][] = [];
  let plain: Placed[][] = [];
  const lineHeight = median(rows.map((r) => r.y1 - r.y0));
  let i = 0;
  while (i < rows.length) {
    const band = columnBand(rows, i, lineHeight);
    if (!band) {
      plain.push((rows[i] as Row).items);
      i++;
      continue;
    }
    if (plain.length > 0) runs.push(plain);
    plain = [];
    const bandRows = rows.slice(i, band.end);
    const left = bandRows.map((r) => row(r.items.filter((p) => p.x1 <= band.gutter[0])));
    const right = bandRows.map((r) => row(r.items.filter((p) => p.x0 >= band.gutter[1])));
    for (const side of [left, right]) runs.push(...readColumns(side.filter((r) => r.items.length > 0)));
    i = band.end;
  }
  if (plain.length > 0) runs.push(plain);
  return runs;
}

const row = (items: Placed[]): Row => ({
  items,
  y0: Math.min(...items.map((p) => p.y0)),
  y1: Math.max(...items.map((p) => p.y1)),
});

/**
 * The longest band of rows from `start` that one gutter (a vertical strip no box crosses, at least a line height
 * wide) runs down, when it has text on both sides in enough rows and each side is wide enough to be a column.
 */
function columnBand(
  rows: readonly Row[],
  start: number,
  lineHeight: number,
): { end: number; gutter: [number, number] } | undefined {
  let best: { end: number; gutter: [number, number] } | undefined;
  let gaps = freeSpans(rows[start] as Row);
  for (let end = start + 1; end <= rows.length && gaps.length > 0; end++) {
    if (end > start + 1) gaps = intersectSpans(gaps, freeSpans(rows[end - 1] as Row));
    const wide = gaps.filter(([a, b]) => b - a >= LAYOUT_RULES.gutterWidth * lineHeight);
    if (wide.length === 0) break;
    const band = rows.slice(start, end);
    for (const gutter of wide) {
      if (isColumnSplit(band, gutter) && (!best || end > best.end)) best = { end, gutter };
    }
  }
  return best;
}

/** The horizontal spans a row leaves free, between −∞ and +∞. */
function freeSpans(r: Row): [number, number][] {
  const spans: [number, number][] = [];
  let from = -Infinity;
  for (const p of r.items) {
    if (p.x0 > from) spans.push([from, p.x0]);
    from = Math.max(from, p.x1);
  }
  spans.push([from, Infinity]);
  return spans;
}

function intersectSpans(a: readonly [number, number][], b: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a0, a1] of a)
    for (const [b0, b1] of b) {
      const lo = Math.max(a0, b0);
      const hi = Math.min(a1, b1);
      if (hi > lo) out.push([lo, hi]);
    }
  return out;
}

function isColumnSplit(band: readonly Row[], [g0, g1]: [number, number]): boolean {
  if (!Number.isFinite(g0) || !Number.isFinite(g1)) return false;
  const all = band.flatMap((r) => r.items);
  const width = Math.max(...all.map((p) => p.x1)) - Math.min(...all.map((p) => p.x0));
  const left = all.filter((p) => p.x1 <= g0);
  const right = all.filter((p) => p.x0 >= g1);
  const extent = (side: Placed[]): number => Math.max(...side.map((p) => p.x1)) - Math.min(...side.map((p) => p.x0));
  // Rows with text on each side, counted apart: columns whose baselines do not line up are still columns.
  const rowsWith = (inSide: (p: Placed) => boolean): number => band.filter((r) => r.items.some(inSide)).length;
  const words = (inSide: (p: Placed) => boolean): number =>
    median(
      band.map((r) => r.items.filter(inSide).reduce((n, p) => n + p.segment.words.length, 0)).filter((n) => n > 0),
    );
  return (
    rowsWith((p) => p.x1 <= g0) >= LAYOUT_RULES.columnRows &&
    rowsWith((p) => p.x0 >= g1) >= LAYOUT_RULES.columnRows &&
    words((p) => p.x1 <= g0) >= LAYOUT_RULES.columnWords &&
    words((p) => p.x0 >= g1) >= LAYOUT_RULES.columnWords &&
    left.length > 0 &&
    right.length > 0 &&
    extent(left) >= LAYOUT_RULES.columnShare * width &&
    extent(right) >= LAYOUT_RULES.columnShare * width
  );
}

/**
 * A run of lines split into blocks where a gap is clearly wider than the run's usual line spacing (a receipt's total
 * below its items, a paragraph break), or wider than two lines.
 */
function splitBlocks(lines: readonly Placed[][]): Placed[][][] {
  const tops = lines.map((l) => Math.min(...l.map((p) => p.y0)));
  const bottoms = lines.map((l) => Math.max(...l.map((p) => p.y1)));
  const height = median(lines.map((_, i) => (bottoms[i] as number) - (tops[i] as number)));
  const gaps = lines.slice(1).map((_, i) => (tops[i + 1] as number) - (bottoms[i] as number));
  const sorted = [...gaps].sort((a, b) => a - b);
  const usual = sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
  const blocks: Placed[][][] = [[]];
  lines.forEach((line, i) => {
    const gap = gaps[i - 1];
    const wide =
      gap !== undefined &&
      ((gap > LAYOUT_RULES.blockGap * usual && gap > 0.5 * height) || gap > LAYOUT_RULES.blockBreak * height);
    if (wide) blocks.push([]);
    (blocks[blocks.length - 1] as Placed[][]).push(line);
  });
  return blocks.filter((b) => b.length > 0);
}

/** The frame rectangle around boxes, as a reading-order quad in the image. */
function boxAround(items: readonly { x0: number; x1: number; y0: number; y1: number }[], frame: Frame): Quad {
  const x0 = Math.min(...items.map((p) => p.x0));
  const x1 = Math.max(...items.map((p) => p.x1));
  const y0 = Math.min(...items.map((p) => p.y0));
  const y1 = Math.max(...items.map((p) => p.y1));
  return [
    frame.from({ x: x0, y: y0 }),
    frame.from({ x: x1, y: y0 }),
    frame.from({ x: x1, y: y1 }),
    frame.from({ x: x0, y: y1 }),
  ];
}

function lineOf(items: readonly Placed[], frame: Frame): OcrLine & { placed: readonly Placed[] } {
  const words: OcrWord[] = items.flatMap((p) =>
    p.segment.words.map((w) => ({ text: w.text, confidence: w.confidence, box: quadCorners(w.quad) })),
  );
  const characters = items.reduce((n, p) => n + p.segment.text.length, 0);
  const confidence =
    characters === 0 ? 0 : items.reduce((sum, p) => sum + p.segment.confidence * p.segment.text.length, 0) / characters;
  const turned = items.filter((p) => p.segment.angle === 180).length;
  return {
    text: items.map((p) => p.segment.text).join(' '),
    confidence,
    box: quadCorners(items.length === 1 ? (items[0] as Placed).segment.box : boxAround(items, frame)),
    angle: turned * 2 > items.length ? 180 : 0,
    words,
    placed: items,
  };
}

function blockOf(lines: readonly Placed[][], frame: Frame): OcrBlock {
  const built = lines.map((l) => lineOf(l, frame));
  return {
    box: quadCorners(boxAround(lines.flat(), frame)),
    lines: built.map(({ placed: _placed, ...line }) => line),
  };
}
