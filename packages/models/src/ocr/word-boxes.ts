import type { Point, Quad } from '@polyinfer/preprocess/portable';
import type { CtcChar } from '../decoders/ctc-decoder.js';

/** A word of a recognised box: its text, the mean probability of its characters and its quad in the image. */
export interface WordQuad {
  text: string;
  confidence: number;
  quad: Quad;
}

/** The point at fraction `f` of the way from `a` to `b`. */
const along = (a: Point, b: Point, f: number): Point => ({ x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f });

/** The part of a reading-order quad between fractions `f0` and `f1` of its length. */
export function quadSlice(quad: Quad, f0: number, f1: number): Quad {
  const [tl, tr, br, bl] = quad;
  return [along(tl, tr, f0), along(tl, tr, f1), along(bl, br, f1), along(bl, br, f0)];
}

/**
 * Splits a recognised box into words at its spaces and places each on the box. CTC emits a character at one or two
 * time steps near its middle; a step covers `stepFraction` of the crop (`crop`, the box widened at both ends), so a
 * word spans from half a character pitch before its first step to half a pitch after its last, never past the
 * middle of the gaps to its neighbours, nor past the box.
 */
export function wordQuads(chars: readonly CtcChar[], crop: Quad, box: Quad, stepFraction: number): WordQuad[] {
  const words: CtcChar[][] = [];
  let current: CtcChar[] = [];
  for (const c of chars) {
    if (c.char === ' ') {
      if (current.length > 0) words.push(current);
      current = [];
    } else current.push(c);
  }
  if (current.length > 0) words.push(current);
  if (words.length === 0) return [];

  // The box as fractions of the crop: the crop is the box widened equally at both ends.
  const cropLength = Math.hypot(crop[1].x - crop[0].x, crop[1].y - crop[0].y) || 1;
  const boxLength = Math.hypot(box[1].x - box[0].x, box[1].y - box[0].y);
  const boxStart = Math.max(0, (1 - boxLength / cropLength) / 2);
  const boxEnd = 1 - boxStart;

  const letters = words.flat();
  const first = letters[0] as CtcChar;
  const last = letters[letters.length - 1] as CtcChar;
  const pitch = letters.length > 1 ? (last.start - first.start) / (letters.length - 1) : 2;
  const spans = words.map((w) => [
    ((w[0] as CtcChar).start - pitch / 2) * stepFraction,
    ((w[w.length - 1] as CtcChar).end + 1 + pitch / 2) * stepFraction,
  ]);
  return words.map((w, i) => {
    const [start, end] = spans[i] as [number, number];
    const previousEnd = spans[i - 1]?.[1];
    const nextStart = spans[i + 1]?.[0];
    const f0 = Math.max(boxStart, previousEnd === undefined ? -Infinity : (previousEnd + start) / 2, start);
    const f1 = Math.min(boxEnd, nextStart === undefined ? Infinity : (end + nextStart) / 2, end);
    const lo = Math.min(f0, boxEnd);
    return {
      text: w.map((c) => c.char).join(''),
      confidence: w.reduce((sum, c) => sum + c.probability, 0) / w.length,
      quad: quadSlice(crop, lo, Math.max(lo, Math.min(f1, boxEnd))),
    };
  });
}
