import { describe, expect, it } from 'vitest';
import { isPolyinferError, Tensor } from '@polyinfer/core';
import { CTC_GREEDY_OUTPUT, CtcDecoder, ctcGreedyDecode, spaceClassOf } from '@polyinfer/models';

// Classes: 0 blank, 1 "a", 2 "b", 3 "，" (full-width comma), 4 "," , 5 " " (space, last as in PP-OCR).
const dictionary = ['a', 'b', '，', ',', ' '];
const C = dictionary.length + 1;

/** One step per entry: [class, probability]; the rest of the step's mass goes to the blank, or to `space` if given. */
function steps(spec: [number, number, number?][]): Float32Array {
  const probs = new Float32Array(spec.length * C);
  spec.forEach(([cls, p, space = 0], t) => {
    probs[t * C + cls] = p;
    if (cls !== 0) probs[t * C] = 1 - p - space;
    else probs[t * C] = p;
    probs[t * C + 5] = (probs[t * C + 5] as number) + space;
  });
  return probs;
}

describe('ctcGreedyDecode', () => {
  it('merges repeats, drops blanks, keeps a repeat split by a blank', () => {
    // a a _ b _ b a → "abba"
    const probs = steps([
      [1, 0.9],
      [1, 0.8],
      [0, 1],
      [2, 0.7],
      [0, 1],
      [2, 0.6],
      [1, 0.55],
    ]);
    const r = ctcGreedyDecode(probs, 7, C, dictionary);
    expect(r.text).toBe('abba');
    // Confidence: mean of each character's first step, (0.9 + 0.7 + 0.6 + 0.55) / 4.
    expect(r.confidence).toBeCloseTo(0.6875, 6);
    expect(r.chars.map((c) => [c.char, c.start, c.end])).toEqual([
      ['a', 0, 1],
      ['b', 3, 3],
      ['b', 5, 5],
      ['a', 6, 6],
    ]);
  });

  it('emits the space class when it wins, and trims spaces at the ends', () => {
    const probs = steps([
      [5, 0.9],
      [1, 0.9],
      [5, 0.9],
      [2, 0.9],
      [5, 0.9],
    ]);
    expect(ctcGreedyDecode(probs, 5, C, dictionary).text).toBe('a b');
  });

  it('turns a space-probability peak in a gap between words into a space', () => {
    // a _(space 0.05) b: the blank wins the step, but the space peak is above the 0.01 default.
    const probs = steps([
      [1, 0.9],
      [0, 0.95, 0.05],
      [2, 0.9],
    ]);
    expect(ctcGreedyDecode(probs, 3, C, dictionary).text).toBe('a b');
    expect(ctcGreedyDecode(probs, 3, C, dictionary, { spaceThreshold: 0.1 }).text).toBe('ab');
    // A faint peak (0.005) is not a space between letters …
    const faint = steps([
      [1, 0.9],
      [0, 0.995, 0.005],
      [2, 0.9],
    ]);
    expect(ctcGreedyDecode(faint, 3, C, dictionary).text).toBe('ab');
    // … but is after a comma followed by a letter.
    const afterComma = steps([
      [1, 0.9],
      [4, 0.9],
      [0, 0.995, 0.005],
      [2, 0.9],
    ]);
    expect(ctcGreedyDecode(afterComma, 4, C, dictionary).text).toBe('a, b');
  });

  it('writes full-width punctuation after a Latin character as ASCII', () => {
    const probs = steps([
      [1, 0.9],
      [3, 0.9],
      [2, 0.9],
    ]);
    expect(ctcGreedyDecode(probs, 3, C, dictionary).text).toBe('a,b');
    const alone = steps([[3, 0.9]]);
    expect(ctcGreedyDecode(alone, 1, C, dictionary).text).toBe('，');
  });

  it('an all-blank sequence is empty with confidence 0', () => {
    const r = ctcGreedyDecode(
      steps([
        [0, 1],
        [0, 1],
      ]),
      2,
      C,
      dictionary,
    );
    expect(r).toEqual({ text: '', confidence: 0, chars: [], steps: 2 });
  });
});

describe('CtcDecoder', () => {
  it('decodes each row of a batch, ignoring padding rows', () => {
    const row1 = steps([
      [1, 0.9],
      [0, 1],
    ]);
    const row2 = steps([
      [2, 0.9],
      [2, 0.9],
    ]);
    const data = new Float32Array([...row1, ...row2, ...row1]);
    const out = new CtcDecoder(dictionary).decode({ y: new Tensor('float32', data, [3, 2, C]) }, { count: 2 });
    expect(out.map((r) => r.text)).toEqual(['a', 'b']);
  });

  it('refuses a dictionary that does not fit the model with MODEL_OUTPUT_MISMATCH', () => {
    const t = new Tensor('float32', new Float32Array(2 * 10), [1, 2, 10]);
    expect(() => new CtcDecoder(dictionary).decode({ y: t }, { count: 1 })).toThrow(
      /expects 6 classes \(the dictionary's 5 entries and the blank\), but the model gave 10 classes/,
    );
  });

  it('refuses the output of another model (a detection map) naming both shapes', () => {
    const map = new Tensor('float32', new Float32Array(16), [1, 1, 4, 4]);
    let error: unknown;
    try {
      new CtcDecoder(dictionary).decode({ sigmoid_0: map }, { count: 1 });
    } catch (e) {
      error = e;
    }
    expect(isPolyinferError(error, 'MODEL_OUTPUT_MISMATCH')).toBe(true);
    expect((error as Error).message).toBe(
      'The CTC decoder expects one float32 [N, T, C] output, but the model gave sigmoid_0: float32 [1, 1, 4, 4]: is this the right model for the stage?',
    );
  });

  describe('from a greedy CTC head ([N, T, 3]: class, its probability, the space probability)', () => {
    /** What the graph's head computes from [N, T, C] probabilities (first maximum, as ArgMax). */
    function head(probs: Float32Array, rows: number): Float32Array {
      const out = new Float32Array(rows * 3);
      for (let r = 0; r < rows; r++) {
        const row = probs.subarray(r * C, (r + 1) * C);
        let best = 0;
        for (let c = 1; c < C; c++) if ((row[c] as number) > (row[best] as number)) best = c;
        out.set([best, row[best] as number, row[spaceClassOf(dictionary)] as number], r * 3);
      }
      return out;
    }
    // Two lines: "a b" with a space won only by its faint peak in the gap, and "a, b" after a comma.
    const line1 = steps([
      [1, 0.9],
      [0, 0.97, 0.02],
      [2, 0.8],
      [0, 1],
    ]);
    const line2 = steps([
      [1, 0.9],
      [4, 0.7],
      [0, 0.995, 0.004],
      [2, 0.9],
    ]);
    const probs = new Float32Array([...line1, ...line2]);

    it('reads the same texts, confidences and character spans as from the probabilities', () => {
      const decoder = new CtcDecoder(dictionary);
      const fromProbs = decoder.decode({ y: new Tensor('float32', probs, [2, 4, C]) }, { count: 2 });
      const fromHead = decoder.decode(
        { [CTC_GREEDY_OUTPUT]: new Tensor('float32', head(probs, 8), [2, 4, 3]) },
        { count: 2 },
      );
      expect(fromProbs.map((r) => r.text)).toEqual(['a b', 'a, b']);
      expect(fromHead).toEqual(fromProbs);
    });

    it('a head whose space column is another class reads another text (the comparison can fail)', () => {
      const wrong = head(probs, 8);
      for (let r = 0; r < 8; r++) wrong[r * 3 + 2] = 0;
      const texts = new CtcDecoder(dictionary)
        .decode({ [CTC_GREEDY_OUTPUT]: new Tensor('float32', wrong, [2, 4, 3]) }, { count: 2 })
        .map((r) => r.text);
      expect(texts).toEqual(['ab', 'a,b']);
    });

    it('refuses classes the dictionary does not have, and a head of another shape, with MODEL_OUTPUT_MISMATCH', () => {
      const beyond = head(probs, 8);
      beyond[3] = C;
      const decode = (data: Float32Array, dims: number[]) => () =>
        new CtcDecoder(dictionary).decode({ [CTC_GREEDY_OUTPUT]: new Tensor('float32', data, dims) }, { count: 1 });
      expect(decode(beyond, [2, 4, 3])).toThrow(
        /expects classes below 6 \(the dictionary's 5 entries and the blank\), but the model gave class 6/,
      );
      expect(decode(new Float32Array(8), [2, 4])).toThrow(
        /expects a float32 \[N, T, 3\] "ctc_greedy" output, but the model gave float32 \[2, 4\]/,
      );
    });
  });
});
