import type { Quad } from '@polyinfer/preprocess/portable';

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

/**
 * Reading order of a page that is upside down: the order of the page turned upright. Each item's quad starts at its
 * text's top-left corner (the angle stage turned it), so that corner, seen from the other side of the page, sorts.
 */
export function sortReadingOrderUpsideDown<T extends { quad: Quad }>(items: readonly T[], width: number, height: number, rowTolerance = 10): T[] {
  const turned = items.map((item) => ({ item, quad: item.quad.map((p) => ({ x: width - p.x, y: height - p.y })) as unknown as Quad }));
  return sortReadingOrder(turned, rowTolerance).map(({ item }) => item);
}
