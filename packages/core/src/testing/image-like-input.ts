import { Tensor } from '../tensor.js';

/**
 * A deterministic, image-like float32 input (smooth waves in [-1, 1]) for comparing backends on real models:
 * random noise gives a text detector an all-zero map and proves nothing. Same values in Node and browsers.
 */
export function imageLikeTensor(dims: readonly number[]): Tensor<'float32'> {
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.sin(i / 37) * Math.cos(i / 1013);
  return new Tensor('float32', data, dims);
}

/** Largest absolute difference between two float arrays of the same length. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
  return diff;
}

/** mulberry32: a small seeded PRNG giving the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [-1, 1) from a seed. */
export function seededUniformTensor(dims: readonly number[], seed: number): Tensor<'float32'> {
  const random = seededRandom(seed);
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = random() * 2 - 1;
  return new Tensor('float32', data, dims);
}
