import * as tf from '@tensorflow/tfjs-core';
import type { OpContext, OpEntry } from './op-context.js';
import { attr, input } from './op-context.js';
import { toHost } from './value.js';
import { dtypeIn } from './form-checks.js';
import { onnxElementTypeName } from '@polyinfer/core';

/** A window of `size` points from its cosine terms: Σ a_k · cos(2πkn / D), D = size (periodic) or size − 1. */
function cosineWindow(terms: readonly number[]): (ctx: OpContext) => tf.Tensor[] {
  return (ctx) => {
    const size = toHost(input(ctx, 0)).data[0] as number;
    const d = attr(ctx, 'periodic', 1) === 1 ? size : size - 1;
    const values = Array.from({ length: size }, (_, n) =>
      terms.reduce((sum, a, k) => sum + a * Math.cos((2 * Math.PI * k * n) / d), 0),
    );
    const to = onnxElementTypeName(attr(ctx, 'output_datatype', 1));
    return [
      tf.tensor(to === 'float32' ? values : values.map(Math.trunc), [size], to === 'float32' ? 'float32' : 'int32'),
    ];
  };
}

/**
 * DFT: the discrete Fourier transform (or its inverse, divided by n) of a real ([…, 1]) or complex ([…, 2]) signal
 * along an axis, zero-padded or cut to dft_length, onesided keeping the first ⌊n/2⌋ + 1 frequencies. The axis counts
 * over the signal without its last (real/imaginary) axis, as ONNX's reference does. Computed on the host, O(n²) per
 * line: for the short transforms graphs carry, not for audio front ends at scale.
 */
function dft(ctx: OpContext): tf.Tensor[] {
  const x = toHost(input(ctx, 0));
  const complex = x.dims.at(-1) === 2;
  const dims = x.dims.slice(0, -1);
  const axisValue =
    ctx.opset >= 20
      ? ctx.inputs[2] === undefined
        ? -1
        : (toHost(ctx.inputs[2]).data[0] as number)
      : attr(ctx, 'axis', 1);
  const axis = axisValue < 0 ? axisValue + dims.length : axisValue;
  const lengthInput = ctx.inputs[1];
  const inverse = attr(ctx, 'inverse', 0) === 1;
  const onesided = attr(ctx, 'onesided', 0) === 1;
  const have = dims[axis] as number;
  // An inverse onesided transform takes the first ⌊n/2⌋ + 1 frequencies of a real signal's spectrum (the rest are their
  // conjugates) and gives the real signal back: n defaults to 2·(have − 1), and the output's last axis is 1.
  const realOut = inverse && onesided;
  const n = lengthInput !== undefined ? (toHost(lengthInput).data[0] as number) : realOut ? 2 * (have - 1) : have;
  const kept = realOut ? n : onesided ? Math.floor(n / 2) + 1 : n;
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outDims = [...dims];
  outDims[axis] = kept;
  const parts = realOut ? 1 : 2;
  const out = new Float32Array(outer * kept * inner * parts);
  const sign = inverse ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      /** Element j of this line (zero past the input; for a onesided spectrum, the conjugate of n − j). */
      const at = (j: number): [number, number] => {
        let source = j;
        let conj = false;
        if (realOut && j >= have) [source, conj] = [n - j, true];
        if (source >= have) return [0, 0];
        const p = ((o * have + source) * inner + i) * (complex ? 2 : 1);
        const im = complex ? (x.data[p + 1] as number) : 0;
        return [x.data[p] as number, conj ? -im : im];
      };
      for (let k = 0; k < kept; k++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < n; j++) {
          const [a, b] = at(j);
          const angle = (sign * 2 * Math.PI * ((j * k) % n)) / n;
          re += a * Math.cos(angle) - b * Math.sin(angle);
          im += a * Math.sin(angle) + b * Math.cos(angle);
        }
        const to = ((o * kept + k) * inner + i) * parts;
        out[to] = inverse ? re / n : re;
        if (!realOut) out[to + 1] = inverse ? im / n : im;
      }
    }
  }
  return [tf.tensor(out, [...outDims, parts], 'float32')];
}

export const signalOps: Record<string, OpEntry> = {
  DFT: {
    kernel: dft,
    opsets: [17],
    refuse: (view) => dtypeIn(view, 0, ['float32']),
    anyRank: true,
    note: 'on the host, O(n²)',
  },
  HannWindow: { kernel: cosineWindow([0.5, -0.5]), opsets: [17] },
  // ONNX's Hamming coefficients are 25/46 and 21/46.
  HammingWindow: { kernel: cosineWindow([25 / 46, -21 / 46]), opsets: [17] },
  BlackmanWindow: { kernel: cosineWindow([0.42, -0.5, 0.08]), opsets: [17] },
};
