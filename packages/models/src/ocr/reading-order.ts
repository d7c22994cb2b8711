import type { Point, Quad } from '@polyinfer/preprocess/portable';

/**
 * Reading order as PaddleOCR sorts boxes: by the top-left corner's y then x, then neighbours whose tops are
 * within `rowTolerance` pixels count as one row and are ordered left to right.
 */
export function sortReadingOrder<T extends { quad: Quad }>(items: readonly T[], rowTolerance = 10): T[] {
  const sorted = [...items].sort((a, b) => a.quad[0].y - b.quad[0].y || a.quad[0].x - b.quad[0].x);
  for (let i = 0; i < sorted.length - 1; i++) {
    for (let j = i; j >= 0; j--) {
      const a = sorted[j] as T;
      const b = sorted[j + 1] as T;
      if (Math.abs(b.quad[0].y - a.quad[0].y) < rowTolerance && b.quad[0].x < a.quad[0].x) {
        sorted[j] = b;
        sorted[j + 1] = a;
      } else break;
    }
  }
  return sorted;
}

/** How far a page is turned, in quarter turns of its text's boxes: 0 upright, 2 upside down, 1 and 3 on its side. */
export type PageTurn = 0 | 1 | 2 | 3;

/**
 * A point of the turned image in the coordinates of the page turned upright (the image is width × height as given).
 * A box turned `turn` quarters starts at what was its text's top-left corner; on the upright page it is one again.
 */
export function uprightPoint(turn: PageTurn, width: number, height: number, p: Point): Point {
  if (turn === 2) return { x: width - p.x, y: height - p.y };
  if (turn === 1) return { x: p.y, y: width - p.x }; // turned clockwise: its first line is on the right
  if (turn === 3) return { x: height - p.y, y: p.x }; // turned counter-clockwise: first line on the left
  return p;
}

/**
 * Reading order of a page that is turned (upside down, or on its side): the order of the page turned upright. Each
 * item's quad starts at its text's top-left corner (the angle stage turned it), and that corner, moved to where it is
 * on the upright page, sorts as on any page.
 */
export function sortReadingOrderTurned<T extends { quad: Quad }>(
  items: readonly T[],
  turn: PageTurn,
  width: number,
  height: number,
  rowTolerance = 10,
): T[] {
  const turned = items.map((item) => ({
    item,
    quad: item.quad.map((p) => uprightPoint(turn, width, height, p)) as unknown as Quad,
  }));
  return sortReadingOrder(turned, rowTolerance).map(({ item }) => item);
}
