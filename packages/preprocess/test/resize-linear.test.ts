import { describe, expect, it } from 'vitest';
import { createRgbImage, resizeImage, resizeLinear } from '../src/index.js';

/** 900×360 of 6-pixel blocks in pseudo-random greys and colours: sharp edges everywhere, as text has. */
function blocks(): ReturnType<typeof createRgbImage> {
  const [width, height] = [900, 360];
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++)
        data[(y * width + x) * 3 + c] = (Math.floor(x / 6) * 73 + Math.floor(y / 6) * 151 + c * 47) % 256;
  return createRgbImage(data, width, height);
}

const maxAbsDiff = (a: Uint8Array, b: Uint8Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

describe('resizeLinear', () => {
  it("follows sharp's linear resize to within rounding, shrinking, enlarging and both at once", async () => {
    const image = blocks();
    for (const [width, height] of [
      [896, 352],
      [450, 180],
      [928, 384],
      [932, 352],
      [640, 400],
    ] as const) {
      const ours = resizeLinear(image, width, height);
      const sharps = await resizeImage(image, width, height);
      expect([ours.width, ours.height]).toEqual([width, height]);
      expect(maxAbsDiff(ours.data, sharps.data), `${width}×${height}`).toBeLessThanOrEqual(4);
      // The comparison can fail: sharp one row taller puts the edges elsewhere.
      expect(
        maxAbsDiff(ours.data, (await resizeImage(image, width, height + 1)).data.subarray(0, ours.data.length)),
      ).toBeGreaterThan(50);
    }
  });

  it('keeps a flat image flat and returns the image itself at its own size', () => {
    const flat = createRgbImage(new Uint8Array(37 * 23 * 3).fill(201), 37, 23);
    for (const [w, h] of [
      [19, 11],
      [80, 50],
      [37, 64],
    ] as const)
      expect(new Set(resizeLinear(flat, w, h).data)).toEqual(new Set([201]));
    expect(resizeLinear(flat, 37, 23)).toBe(flat);
  });

  it('writes into a given array, and gives the same bytes whatever size it resized before', () => {
    const image = blocks();
    const sizes = [
      [932, 352],
      [120, 48],
      [640, 400],
      [1400, 700],
      [450, 180],
    ] as const;
    const first = sizes.map(([w, h]) => resizeLinear(image, w, h).data.slice());
    // Again, in reverse order (the kept intermediate arrays now hold other images' pixels) and into given arrays.
    [...sizes].reverse().forEach(([w, h], r) => {
      const i = sizes.length - 1 - r;
      const into = new Uint8Array(w * h * 3).fill(7);
      const out = resizeLinear(image, w, h, into);
      expect(out.data).toBe(into);
      expect(maxAbsDiff(out.data, first[i] as Uint8Array), `${w}×${h}`).toBe(0);
    });
    expect(() => resizeLinear(image, 10, 10, new Uint8Array(299))).toThrow(RangeError);
    // At its own size, into receives a copy.
    const copy = resizeLinear(image, 900, 360, new Uint8Array(900 * 360 * 3));
    expect(copy.data).not.toBe(image.data);
    expect(maxAbsDiff(copy.data, image.data)).toBe(0);
  });
});
