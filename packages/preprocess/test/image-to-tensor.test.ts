import { describe, expect, it } from 'vitest';
import { createRgbImage, imageToTensor, writeChw } from '@polyinfer/preprocess';

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
