import { describe, expect, it } from 'vitest';
import type { Quad, RgbImage } from '@polyinfer/preprocess';
import {
  createRgbImage,
  limitSideSize,
  mapQuad,
  quadCorners,
  quadSize,
  resizeImage,
  rotateQuad,
  solveHomography,
  warpQuad,
} from '@polyinfer/preprocess';

/** A w×h image whose pixel (x, y) is (x, y, 10·x + y): every pixel says where it came from. */
function coordinateImage(w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x, y, 10 * x + y], (y * w + x) * 3);
  return createRgbImage(data, w, h);
}

const pixel = (image: RgbImage, x: number, y: number): number[] => [
  ...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3),
];

describe('limitSideSize (DB detection sizing)', () => {
  it('limits the longest side and rounds each side to a multiple of 32', () => {
    // 1920×1080 → ratio 0.5 → 960×540 → 540/32 = 16.9 → 17·32 = 544.
    expect(limitSideSize(1920, 1080, { limitSideLen: 960, limitType: 'max', multiple: 32 })).toEqual({
      width: 960,
      height: 544,
      scaleX: 0.5,
      scaleY: 544 / 1080,
    });
  });
  it('never upscales with "max", rounds small sides, and keeps at least one multiple', () => {
    expect(limitSideSize(100, 50, { limitSideLen: 960, limitType: 'max', multiple: 32 })).toMatchObject({
      width: 96,
      height: 64,
    });
    expect(limitSideSize(10, 10, { limitSideLen: 960, limitType: 'max', multiple: 32 })).toMatchObject({
      width: 32,
      height: 32,
    });
  });
  it('"min" raises the shortest side to the limit', () => {
    expect(limitSideSize(100, 50, { limitSideLen: 736, limitType: 'min', multiple: 32 })).toMatchObject({
      width: 1472,
      height: 736,
    });
  });
});

describe('solveHomography', () => {
  it('maps each corner onto its target', () => {
    const from: Quad = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 5 },
      { x: 0, y: 5 },
    ];
    const to: Quad = [
      { x: 3, y: 1 },
      { x: 20, y: 4 },
      { x: 18, y: 15 },
      { x: 1, y: 9 },
    ];
    const h = solveHomography(from, to);
    from.forEach((p, i) => {
      const z = h[6]! * p.x + h[7]! * p.y + h[8]!;
      expect((h[0]! * p.x + h[1]! * p.y + h[2]!) / z).toBeCloseTo(to[i]!.x, 9);
      expect((h[3]! * p.x + h[4]! * p.y + h[5]!) / z).toBeCloseTo(to[i]!.y, 9);
    });
  });
  it('rejects a degenerate quad', () => {
    const line: Quad = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 2, y: 0 },
      { x: 3, y: 0 },
    ];
    expect(() =>
      solveHomography(
        [
          { x: 0, y: 0 },
          { x: 1, y: 0 },
          { x: 1, y: 1 },
          { x: 0, y: 1 },
        ],
        line,
      ),
    ).toThrow(/degenerate/);
  });
});

describe('warpQuad', () => {
  const image = coordinateImage(6, 5);

  it('an axis-aligned quad is an exact crop', () => {
    const crop = warpQuad(
      image,
      [
        { x: 1, y: 1 },
        { x: 4, y: 1 },
        { x: 4, y: 3 },
        { x: 1, y: 3 },
      ],
      3,
      2,
    );
    expect([crop.width, crop.height]).toEqual([3, 2]);
    expect(pixel(crop, 0, 0)).toEqual([1, 1, 11]);
    expect(pixel(crop, 2, 0)).toEqual([3, 1, 31]);
    expect(pixel(crop, 1, 1)).toEqual([2, 2, 22]);
  });

  it('starting the quad at the top-right corner turns the crop 90° counter-clockwise', () => {
    const crop = warpQuad(
      image,
      [
        { x: 4, y: 1 },
        { x: 4, y: 3 },
        { x: 1, y: 3 },
        { x: 1, y: 1 },
      ],
      2,
      3,
    );
    expect([crop.width, crop.height]).toEqual([2, 3]);
    expect(pixel(crop, 0, 0)).toEqual([4, 1, 41]);
    expect(pixel(crop, 1, 0)).toEqual([4, 2, 42]);
    expect(pixel(crop, 0, 2)).toEqual([2, 1, 21]);
  });

  it('samples between pixels bilinearly and replicates edges', () => {
    const half = warpQuad(
      image,
      [
        { x: 0.5, y: 0 },
        { x: 1.5, y: 0 },
        { x: 1.5, y: 1 },
        { x: 0.5, y: 1 },
      ],
      1,
      1,
    );
    expect(pixel(half, 0, 0)).toEqual([1, 0, 5]); // 0.5 → rounds half up
    const outside = warpQuad(
      image,
      [
        { x: -3, y: -3 },
        { x: -2, y: -3 },
        { x: -2, y: -2 },
        { x: -3, y: -2 },
      ],
      1,
      1,
    );
    expect(pixel(outside, 0, 0)).toEqual([0, 0, 0]);
  });

  it('quadSize takes the longer of opposite sides', () => {
    expect(
      quadSize([
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 12, y: 4 },
        { x: 0, y: 3 },
      ]),
    ).toEqual({ width: 12, height: 4 });
  });
});

describe('quad helpers and resizeImage', () => {
  const quad = [
    { x: 0, y: 0 },
    { x: 10.4, y: 0 },
    { x: 10.6, y: 5 },
    { x: 0, y: 5 },
  ] as const;

  it('rotateQuad starts the corners later; two half turns are the identity', () => {
    expect(rotateQuad(quad, 1)).toEqual([quad[1], quad[2], quad[3], quad[0]]);
    expect(rotateQuad(rotateQuad(quad, 2), 2)).toEqual(quad);
  });

  it('mapQuad keeps the corner order; quadCorners rounds to [x, y] pairs', () => {
    expect(mapQuad(quad, (p, i) => ({ x: p.x + i, y: p.y }))).toEqual([
      { x: 0, y: 0 },
      { x: 11.4, y: 0 },
      { x: 12.6, y: 5 },
      { x: 3, y: 5 },
    ]);
    expect(quadCorners(quad)).toEqual([
      [0, 0],
      [10, 0],
      [11, 5],
      [0, 5],
    ]);
  });

  it('resizeImage keeps a flat colour flat and returns the exact size', async () => {
    const flat = createRgbImage(new Uint8Array(8 * 4 * 3).fill(90), 8, 4);
    const small = await resizeImage(flat, 3, 2);
    expect([small.width, small.height]).toEqual([3, 2]);
    expect(new Set(small.data)).toEqual(new Set([90]));
  });
});
