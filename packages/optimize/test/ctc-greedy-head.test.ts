import { describe, expect, it } from 'vitest';
import { buildOnnxModel, Tensor } from '@polyinfer/core';
import { seededUniformTensor } from '@polyinfer/core/testing';
import { appendCtcGreedyHead } from '../src/index.js';
import { outputsOf } from './run-on-ort.js';

const CLASSES = 37;
const SPACE = 36;

/** A recogniser's tail: [N, T, C] logits through a Softmax over classes, at the given opset. */
function recogniserTail(opset: number): Uint8Array {
  return buildOnnxModel({
    opset,
    inputs: [{ name: 'logits', dtype: 'float32', dims: ['N', 'T', CLASSES] }],
    outputs: [{ name: 'probs', dtype: 'float32', dims: ['N', 'T', CLASSES] }],
    nodes: [{ op: 'Softmax', inputs: ['logits'], outputs: ['probs'], attributes: { axis: 2 } }],
  });
}

const run = outputsOf;

/** What the decoder computed from the probabilities: per step the first maximum, its value, the space's value. */
function greedyInJs(probs: Float32Array, rows: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = probs.subarray(r * CLASSES, (r + 1) * CLASSES);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if ((row[c] as number) > (row[best] as number)) best = c;
    out.push(best, row[best] as number, row[SPACE] as number);
  }
  return out;
}

describe('appendCtcGreedyHead', () => {
  // Logits wide enough that the argmax varies from step to step and the probabilities are not one-hot.
  const uniform = seededUniformTensor([2, 11, CLASSES], 5);
  const logits = new Tensor(
    'float32',
    (uniform.data as Float32Array).map((v) => v * 4),
    uniform.dims,
  );

  for (const opset of [11, 18]) {
    it(`reduces [N, T, C] probabilities to the decoder's per-step (class, probability, space probability), exactly (opset ${opset})`, async () => {
      const plain = recogniserTail(opset);
      const headed = appendCtcGreedyHead(plain, { outputName: 'ctc_greedy', spaceClass: SPACE });
      const [{ probs }, outputs] = [await run(plain, { logits }), await run(headed, { logits })];
      expect(Object.keys(outputs)).toEqual(['ctc_greedy']);
      const head = outputs.ctc_greedy!;
      expect(head.dims).toEqual([2, 11, 3]);
      const expected = greedyInJs(probs!.data as Float32Array, 22);
      expect(new Set(expected.filter((_, i) => i % 3 === 0)).size, 'the argmax varies').toBeGreaterThan(5);
      expect(Math.max(...expected.filter((_, i) => i % 3 === 1)), 'not one-hot').toBeLessThan(0.9);
      expect(Array.from(head.data as Float32Array)).toEqual(expected);
    });
  }

  it('the comparison catches a wrong head: the space column of another class differs', async () => {
    const plain = recogniserTail(11);
    const wrong = appendCtcGreedyHead(plain, { outputName: 'ctc_greedy', spaceClass: SPACE - 1 });
    const [{ probs }, { ctc_greedy: head }] = [await run(plain, { logits }), await run(wrong, { logits })];
    expect(Array.from(head!.data as Float32Array)).not.toEqual(greedyInJs(probs!.data as Float32Array, 22));
  });

  it('refuses models it cannot end in a head, naming why', () => {
    const twoOutputs = buildOnnxModel({
      opset: 11,
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4, CLASSES] }],
      outputs: [
        { name: 'a', dtype: 'float32', dims: [1, 4, CLASSES] },
        { name: 'b', dtype: 'float32', dims: [1, 4, CLASSES] },
      ],
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'] },
        { op: 'Sigmoid', inputs: ['x'], outputs: ['b'] },
      ],
    });
    expect(() => appendCtcGreedyHead(twoOutputs, { outputName: 'ctc_greedy', spaceClass: 1 })).toThrow(
      /one output, this one has 2/,
    );
    const rank2 = buildOnnxModel({
      opset: 11,
      inputs: [{ name: 'x', dtype: 'float32', dims: [4, CLASSES] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [4, CLASSES] }],
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
    });
    expect(() => appendCtcGreedyHead(rank2, { outputName: 'ctc_greedy', spaceClass: 1 })).toThrow(
      /\[N, T, C\] output, "y" has rank 2/,
    );
    expect(() => appendCtcGreedyHead(recogniserTail(11), { outputName: 'ctc_greedy', spaceClass: CLASSES })).toThrow(
      /space class 37 is outside the model's 37 classes/,
    );
    expect(() => appendCtcGreedyHead(recogniserTail(11), { outputName: 'probs', spaceClass: 1 })).toThrow(
      /already named "probs"/,
    );
  });

  it('keeps the batch and step axes symbolic: one line alone gives the rows it gives in a batch', async () => {
    const headed = appendCtcGreedyHead(recogniserTail(11), { outputName: 'ctc_greedy', spaceClass: SPACE });
    const one = new Tensor('float32', (logits.data as Float32Array).slice(0, 7 * CLASSES), [1, 7, CLASSES]);
    const [{ ctc_greedy: alone }, { ctc_greedy: batched }] = [
      await run(headed, { logits: one }),
      await run(headed, { logits }),
    ];
    expect(alone!.dims).toEqual([1, 7, 3]);
    expect(Array.from(alone!.data as Float32Array)).toEqual(Array.from((batched!.data as Float32Array).slice(0, 21)));
  });
});
