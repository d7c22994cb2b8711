import { describe, expect, it } from 'vitest';
import { createRgbImage, imageToTensor, rgbaToRgb, writeChw } from '@polyinfer/preprocess';

// Two pixels: pure red and (0, 128, 255).
const image = createRgbImage(Uint8Array.from([255, 0, 0, 0, 128, 255]), 2, 1);

describe('imageToTensor', () => {
  it('scales to 0–1 in NCHW RGB by default', () => {
    const t = imageToTensor(image);
    expect([...t.dims]).toEqual([1, 3, 1, 2]);
    expect([...t.data].map((v) => +v.toFixed(4))).toEqual([1, 0, 0, +(128 / 255).toFixed(4), 0, 1]);
  });

  it('puts channels in BGR order and applies mean/std per tensor channel', () => {
    // PP-OCR recognition normalisation: (x/255 − 0.5) / 0.5.
    const t = imageToTensor(image, { channelOrder: 'bgr', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
    // Plane 0 is blue: red pixel → −1, second pixel → +1.
    expect([...t.data].map((v) => +v.toFixed(4))).toEqual([-1, 1, -1, +((128 / 255 - 0.5) / 0.5).toFixed(4), 1, -1]);
  });

  it('lays out NHWC when asked', () => {
    const t = imageToTensor(image, { layout: 'nhwc', scale: 1 });
    expect([...t.dims]).toEqual([1, 1, 2, 3]);
    expect([...t.data]).toEqual([255, 0, 0, 0, 128, 255]);
  });
});

describe('writeChw', () => {
  it('writes into a wider row stride at an offset, leaving the padding alone', () => {
    const target = new Float32Array(2 + 3 * 4).fill(9);
    writeChw(image, target, { offset: 2, rowStride: 4, scale: 1 });
    expect([...target]).toEqual([9, 9, 255, 0, 9, 9, 0, 128, 9, 9, 0, 255, 9, 9]);
  });
});

describe('rgbaToRgb', () => {
  it('copies opaque pixels and blends the others over the background, rounding', () => {
    const rgba = Uint8ClampedArray.of(10, 200, 30, 255, 100, 0, 50, 0, 0, 100, 200, 128, 255, 255, 255, 1);
    expect([...rgbaToRgb(rgba, { r: 0, g: 50, b: 250 })]).toEqual([10, 200, 30, 0, 50, 250, 0, 75, 225, 1, 51, 250]);
  });
});

describe('imageToTensor into a given buffer', () => {
  it('writes into it, and refuses one of another size', () => {
    const image = createRgbImage(Uint8Array.of(0, 51, 255, 255, 255, 255), 2, 1);
    const into = new Float32Array(6).fill(-1);
    const t = imageToTensor(image, {}, into);
    expect(t.data).toBe(into);
    expect([...into].map((v) => Math.round(v * 100) / 100)).toEqual([0, 1, 0.2, 1, 1, 1]);
    expect(() => imageToTensor(image, {}, new Float32Array(5))).toThrow(/holds 5 floats, the image needs 6/);
  });
});
