import { describe, expect, it } from 'vitest';
import type { Point } from '@polyinfer/preprocess';
import { sortReadingOrder } from '@polyinfer/models';
// The geometry is internal to the package: tested from its sources.
import { connectedComponents } from '../src/geometry/connected-components.js';
import { convexHull } from '../src/geometry/convex-hull.js';
import { minAreaRect, orderCorners } from '../src/geometry/min-area-rect.js';
import { polygonArea, polygonPerimeter, unclip } from '../src/geometry/polygon.js';

describe('connectedComponents', () => {
  it('joins diagonal neighbours (8-connectivity) and keeps separate regions apart, in scan order', () => {
    // 1 0 0 1
    // 0 1 0 1
    // 0 0 0 0
    const mask = Uint8Array.from([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]);
    const components = connectedComponents(mask, 4, 3);
    expect(components.map((c) => c.area)).toEqual([2, 2]);
    expect(components[0]!.rowExtremes).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(components[1]!.rowExtremes).toEqual([3, 0, 3, 0, 3, 1, 3, 1]);
    expect(connectedComponents(mask, 4, 3, 1)).toHaveLength(1);
  });
});

const pts = (...xy: [number, number][]): Point[] => xy.map(([x, y]) => ({ x, y }));

describe('convexHull and minAreaRect', () => {
  it('drops interior and collinear points', () => {
    const hull = convexHull(pts([0, 0], [2, 0], [4, 0], [4, 4], [0, 4], [2, 2], [1, 3]));
    expect(hull).toHaveLength(4);
    expect(polygonArea(hull)).toBe(16);
  });

  it('finds the rotated rectangle of rotated points', () => {
    // A 10 × 2 rectangle turned by 30°.
    const a = Math.PI / 6;
    const rot = ({ x, y }: Point): Point => ({
      x: x * Math.cos(a) - y * Math.sin(a) + 50,
      y: x * Math.sin(a) + y * Math.cos(a) + 50,
    });
    const points: Point[] = [];
    for (let x = 0; x <= 10; x++) for (let y = 0; y <= 2; y++) points.push(rot({ x, y }));
    const rect = minAreaRect(points);
    expect(rect.width).toBeCloseTo(10, 6);
    expect(rect.height).toBeCloseTo(2, 6);
    expect(rect.corners[0].x).toBeCloseTo(rot({ x: 0, y: 0 }).x, 6);
  });

  it('orders corners top-left, top-right, bottom-right, bottom-left', () => {
    const [a, b, c, d] = pts([10, 10], [0, 0], [0, 10], [10, 0]) as [Point, Point, Point, Point];
    expect(orderCorners([a, b, c, d])).toEqual(pts([0, 0], [10, 0], [10, 10], [0, 10]));
  });
});

describe('unclip', () => {
  it('offsets a rectangle outward by area × ratio / perimeter', () => {
    const rect = pts([0, 0], [100, 0], [100, 20], [0, 20]);
    expect(polygonPerimeter(rect)).toBe(240);
    const [grown] = unclip(rect, 1.5); // distance 2000 × 1.5 / 240 = 12.5
    const xs = grown!.map((p) => p.x);
    const ys = grown!.map((p) => p.y);
    // Clipper works on integer coordinates: within a pixel of the exact offset.
    expect(Math.abs(Math.min(...xs) + 12.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.max(...xs) - 112.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.max(...ys) - 32.5)).toBeLessThanOrEqual(1);
  });
});

describe('sortReadingOrder', () => {
  const box = (x: number, y: number) => ({
    quad: [
      { x, y },
      { x: x + 10, y },
      { x: x + 10, y: y + 5 },
      { x, y: y + 5 },
    ] as const,
  });
  it('reads rows top to bottom, and boxes within 10 px of a row left to right', () => {
    const sorted = sortReadingOrder([box(100, 52), box(0, 50), box(0, 0), box(50, 58), box(0, 100)]);
    expect(sorted.map((b) => [b.quad[0].x, b.quad[0].y])).toEqual([
      [0, 0],
      [0, 50],
      [50, 58],
      [100, 52],
      [0, 100],
    ]);
  });
});
