import { describe, expect, it } from 'vitest';
import { Tensor } from '@polyinfer/core';
import { DbDecoder, dbPostprocess } from '@polyinfer/models';

function map(
  width: number,
  height: number,
  regions: { x0: number; y0: number; x1: number; y1: number; p: number }[],
): Float32Array {
  const data = new Float32Array(width * height);
  for (const r of regions)
    for (let y = r.y0; y <= r.y1; y++) for (let x = r.x0; x <= r.x1; x++) data[y * width + x] = r.p;
  return data;
}

describe('dbPostprocess', () => {
  it('finds a text kernel, grows it by the unclip distance and scales it to the image', () => {
    // Kernel pixels x 10..29, y 5..9: its min-area rectangle through the pixel centres is 19 × 4.
    // Unclip distance = area × 1.5 / perimeter = 76 × 1.5 / 46 ≈ 2.48, so the box is about x 7.5..31.5, y 2.5..11.5
    // (Clipper works in integers), and the image is twice the map's size.
    const data = map(64, 32, [{ x0: 10, y0: 5, x1: 29, y1: 9, p: 0.9 }]);
    const boxes = dbPostprocess({ data, width: 64, height: 32 }, 128, 64);
    expect(boxes).toHaveLength(1);
    const [tl, tr, br, bl] = boxes[0]!.quad;
    for (const [got, want] of [
      [tl.x, 15],
      [tl.y, 5],
      [tr.x, 63],
      [tr.y, 5],
      [br.x, 63],
      [br.y, 23],
      [bl.x, 15],
      [bl.y, 23],
    ] as const) {
      expect(Math.abs(got - want)).toBeLessThanOrEqual(2);
    }
    expect(boxes[0]!.score).toBeCloseTo(0.9, 5);
  });

  it('drops regions whose mean score is below boxThresh and regions thinner than minSize', () => {
    const data = map(64, 32, [
      { x0: 2, y0: 2, x1: 30, y1: 8, p: 0.5 }, // above thresh 0.3, below box thresh 0.6
      { x0: 40, y0: 20, x1: 60, y1: 21, p: 0.95 }, // 2 px tall: shorter side 1 < 3
      { x0: 5, y0: 20, x1: 25, y1: 28, p: 0.8 },
    ]);
    const boxes = dbPostprocess({ data, width: 64, height: 32 }, 64, 32);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]!.quad[0].x).toBeLessThan(5);
    expect(boxes[0]!.quad[2].y).toBeGreaterThan(28);
    expect(dbPostprocess({ data, width: 64, height: 32 }, 64, 32, { boxThresh: 0.4 })).toHaveLength(2);
  });

  it('keeps boxes inside the image', () => {
    const data = map(16, 16, [{ x0: 0, y0: 0, x1: 15, y1: 4, p: 0.9 }]);
    const [box] = dbPostprocess({ data, width: 16, height: 16 }, 160, 160);
    for (const p of box!.quad) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(160);
      expect(p.y).toBeGreaterThanOrEqual(0);
    }
  });

  it('DbDecoder takes the [1, 1, H, W] map and rejects other shapes', () => {
    const data = map(64, 32, [{ x0: 10, y0: 5, x1: 29, y1: 9, p: 0.9 }]);
    const decoder = new DbDecoder();
    expect(
      decoder.decode({ m: new Tensor('float32', data, [1, 1, 32, 64]) }, { imageWidth: 64, imageHeight: 32 }),
    ).toHaveLength(1);
    expect(() =>
      decoder.decode({ m: new Tensor('float32', data, [1, 32, 64]) }, { imageWidth: 64, imageHeight: 32 }),
    ).toThrow(/\[1, 1, H, W\]/);
  });
});
