import { describe, expect, it } from 'vitest';
import { createRgbImage } from '@polyinfer/preprocess';
import type { Quad } from '@polyinfer/preprocess';
import { TextLinePreprocessor } from '@polyinfer/models';

// A 40×10 image: white with a black left half, so each crop's content is known.
const data = new Uint8Array(40 * 10 * 3).fill(255);
for (let y = 0; y < 10; y++) data.fill(0, y * 40 * 3, (y * 40 + 20) * 3);
const image = createRgbImage(data, 40, 10);
const whole: Quad = [
  { x: 0, y: 0 },
  { x: 40, y: 0 },
  { x: 40, y: 10 },
  { x: 0, y: 10 },
];
const left: Quad = [
  { x: 0, y: 0 },
  { x: 10, y: 0 },
  { x: 10, y: 10 },
  { x: 0, y: 10 },
];

describe('TextLinePreprocessor', () => {
  it('sizes the batch by its widest line, keeps aspect, pads the rest with zeros', () => {
    const pre = new TextLinePreprocessor({ height: 5, widthMultiple: 4, normalize: { scale: 1 }, inputName: 'x' });
    const { feeds, meta } = pre.process({
      image,
      lines: [
        { quad: whole, aspect: 4 },
        { quad: left, aspect: 1 },
      ],
    });
    const x = feeds.x!;
    // Widest: 5 × 4 = 20 → multiple of 4 = 20.
    expect([...x.dims]).toEqual([2, 3, 5, 20]);
    expect(meta).toEqual({ count: 2, owners: [0, 1] });
    const row = (n: number, c: number, y: number) => [
      ...(x.data as Float32Array).subarray(((n * 3 + c) * 5 + y) * 20, ((n * 3 + c) * 5 + y + 1) * 20),
    ];
    // Line 0: left half black, right half white.
    expect(
      row(0, 0, 2)
        .slice(0, 9)
        .every((v) => v === 0),
    ).toBe(true);
    expect(
      row(0, 0, 2)
        .slice(11)
        .every((v) => v === 255),
    ).toBe(true);
    // Line 1 is 5 wide (aspect 1): black, then zero padding.
    expect(row(1, 1, 0)).toEqual(Array(20).fill(0));
  });

  it('with a fixed width, reads a long line as windows instead of squeezing it', () => {
    const pre = new TextLinePreprocessor({ height: 5, width: 6, windows: 3, normalize: { scale: 1 }, inputName: 'x' });
    const { feeds, meta } = pre.process({
      image,
      lines: [
        { quad: whole, aspect: 4 },
        { quad: left, aspect: 1 },
      ],
    });
    expect([...feeds.x!.dims]).toEqual([4, 3, 5, 6]);
    expect(meta.owners).toEqual([0, 0, 0, 1]);
    const first = (n: number) => (feeds.x!.data as Float32Array)[n * 3 * 5 * 6] as number;
    expect(first(0)).toBe(0); // leftmost window starts in the black half
    expect(first(2)).toBe(255); // rightmost window is white
  });

  it('reuses a batch buffer handed back, and pads it with zeros again (not with the previous batch)', () => {
    const pre = new TextLinePreprocessor({ height: 5, widthMultiple: 4, normalize: { scale: 1 }, inputName: 'x' });
    const right: Quad = [
      { x: 30, y: 0 },
      { x: 40, y: 0 },
      { x: 40, y: 10 },
      { x: 30, y: 10 },
    ];
    const first = pre.process({
      image,
      lines: [
        { quad: whole, aspect: 4 },
        { quad: whole, aspect: 4 },
      ],
    }).feeds;
    pre.release(first);
    const { feeds } = pre.process({
      image,
      lines: [
        { quad: whole, aspect: 4 },
        { quad: right, aspect: 1 },
      ],
    });
    expect((feeds.x!.data as Float32Array).buffer, 'the buffer came back').toBe((first.x!.data as Float32Array).buffer);
    // Line 1: 5 white columns, then padding, where the previous batch left white (its right half).
    const row = [...(feeds.x!.data as Float32Array).subarray((3 * 5 + 2) * 20, (3 * 5 + 3) * 20)];
    expect(row.slice(0, 5)).toEqual(Array(5).fill(255));
    expect(row.slice(5)).toEqual(Array(15).fill(0));
  });

  it('gives each row the same pixels as its line read alone, whatever was warped before it', () => {
    const options = { height: 5, width: 8, windows: 3, normalize: { scale: 1 }, inputName: 'x' };
    const right: Quad = [
      { x: 25, y: 0 },
      { x: 40, y: 0 },
      { x: 40, y: 10 },
      { x: 25, y: 10 },
    ];
    const lines = [
      { quad: whole, aspect: 4 },
      { quad: left, aspect: 1 },
      { quad: right, aspect: 1.5 },
      { quad: whole, aspect: 4 },
    ];
    // One preprocessor for the batch (its kept crop arrays pass from line to line), a fresh one per line alone.
    const batch = new TextLinePreprocessor(options).process({ image, lines }).feeds.x!;
    const plane = 3 * 5 * 8;
    let row = 0;
    for (const line of lines) {
      const alone = new TextLinePreprocessor(options).process({ image, lines: [line] }).feeds.x!;
      const rows = alone.dims[0] as number;
      expect([...(batch.data as Float32Array).subarray(row * plane, (row + rows) * plane)]).toEqual([...alone.data]);
      row += rows;
    }
    expect(row).toBe(batch.dims[0]);
  });
});
