import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isPolyinferError } from '@polyinfer/core';
import { decodeImage } from '@polyinfer/preprocess';

const dir = mkdtempSync(join(tmpdir(), 'decode-'));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (isPolyinferError(e) ? e.code : `untyped: ${String(e)}`),
  );
}

const png = (width: number, height: number, channels: 1 | 3 | 4, fill: number[]): Promise<Buffer> =>
  sharp(Buffer.from(Array.from({ length: width * height }, () => fill).flat()), { raw: { width, height, channels } })
    .png()
    .toBuffer();

describe('decodeImage', () => {
  it('decodes a PNG file to RGB', async () => {
    const path = join(dir, 'red.png');
    writeFileSync(path, await png(3, 2, 3, [255, 0, 0]));
    const image = await decodeImage(path);
    expect([image.width, image.height]).toEqual([3, 2]);
    expect([...image.data.subarray(0, 6)]).toEqual([255, 0, 0, 255, 0, 0]);
  });

  it('flattens transparent pixels onto white and expands grayscale to three channels', async () => {
    const transparent = await decodeImage(await png(1, 1, 4, [0, 0, 0, 0]));
    expect([...transparent.data]).toEqual([255, 255, 255]);
    const half = await decodeImage(await png(1, 1, 4, [0, 0, 0, 128]));
    expect(half.data[0]).toBeGreaterThan(120);
    expect(half.data[0]).toBeLessThan(135);
    const gray = await decodeImage(await png(2, 1, 1, [77]));
    expect([...gray.data]).toEqual([77, 77, 77, 77, 77, 77]);
  });

  it('applies the EXIF orientation', async () => {
    // A 4×2 image stored with orientation 6 (rotate 90° clockwise to view) is 2×4 upright.
    const jpeg = await sharp(Buffer.alloc(4 * 2 * 3, 200), { raw: { width: 4, height: 2, channels: 3 } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await decodeImage(jpeg);
    expect([image.width, image.height]).toEqual([2, 4]);
  });

  it('gives typed errors for a missing file, non-image bytes, truncated data, no bytes, too many pixels', async () => {
    expect(await codeOf(decodeImage(join(dir, 'missing.png')))).toBe('IMAGE_NOT_FOUND');
    expect(await codeOf(decodeImage(dir))).toBe('IMAGE_NOT_FOUND');
    expect(await codeOf(decodeImage(new TextEncoder().encode('definitely not an image')))).toBe('IMAGE_DECODE_FAILED');
    const whole = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    expect(await codeOf(decodeImage(whole.subarray(0, Math.floor(whole.length / 2))))).toBe('IMAGE_DECODE_FAILED');
    expect(await codeOf(decodeImage(new Uint8Array(0)))).toBe('IMAGE_DECODE_FAILED');
    expect(await codeOf(decodeImage(whole, { maxPixels: 1000 }))).toBe('IMAGE_SIZE');
    expect(await codeOf(decodeImage({ data: new Uint8Array(0), width: 0, height: 0 }))).toBe('IMAGE_SIZE');
  });

  it('names the file in the error', async () => {
    const path = join(dir, 'broken.png');
    writeFileSync(path, 'not a png');
    const error = await decodeImage(path).catch((e: unknown) => e);
    expect((error as Error).message).toContain(path);
  });
});
