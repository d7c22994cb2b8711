import type { Decoder, Feeds, Tensor } from '@polyinfer/core';
import { ModelOutputMismatchError, singleOutput } from './single-output.js';

/** One recognised character and the CTC time steps it spans. */
export interface CtcChar {
  char: string;
  /** First and last time step (inclusive) of the character's run. */
  start: number;
  end: number;
  probability: number;
}

export interface RecognizedText {
  text: string;
  /** Mean of the kept steps' probabilities; 0 for an empty line. */
  confidence: number;
  chars: CtcChar[];
  /** Time steps of the sequence (the crop's width ÷ the recogniser's stride): where a character's steps are. */
  steps: number;
}

export interface CtcOptions {
  /** Index of the blank class. PP-OCR: 0. */
  blank?: number;
  /**
   * Index of the space class (PP-OCR: the last). The Chinese PP-OCR recogniser often lets a blank win over the space
   * between two Latin words, yet its space probability still peaks in that gap: a peak of at least
   * `spaceThreshold` between two word characters becomes a space. Absent: taken from a " " dictionary entry.
   */
  spaceClass?: number;
  /** 0 < threshold ≤ 1; above 1 keeps PaddleOCR's plain argmax behaviour. Default 0.01 (0.001 after , and ;). */
  spaceThreshold?: number;
}

/** Full-width forms of ASCII (U+FF01–U+FF5E), which the Chinese recogniser sometimes picks for Latin punctuation. */
function asciiOfFullWidth(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0xff01 && code <= 0xff5e ? String.fromCodePoint(code - 0xfee0) : char;
}

/** Clause punctuation that English always follows with a space before a letter; a fainter peak suffices there. */
const CLAUSE_PUNCTUATION = new Set([',', ';']);

/** Latin, Greek and Cyrillic letters, digits and the punctuation around them: scripts written without spaces never get one. */
function isWordChar(char: string): boolean {
  return /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}.,;:!?%$€£)("'&@#/+\-*=]/u.test(char);
}

/**
 * The output name of a recogniser that ends in a greedy CTC head (see `appendCtcGreedyHead` in @polyinfer/optimize):
 * [N, T, 3], per step the best class, its probability and the space class' probability.
 */
export const CTC_GREEDY_OUTPUT = 'ctc_greedy';

/** The space class of a dictionary (class k is `dictionary[k - 1]`), -1 when it has none. */
export function spaceClassOf(dictionary: readonly string[]): number {
  const index = dictionary.lastIndexOf(' ');
  return index >= 0 ? index + 1 : -1;
}

/**
 * Per step of one sequence of [T, C] probabilities at `offset`: the best class (first maximum), its probability and
 * the probability of class `space` (0 when there is none) — what a greedy CTC head computes in the graph.
 */
function greedySteps(probs: Float32Array, offset: number, steps: number, classes: number, space: number): Float32Array {
  const out = new Float32Array(steps * 3);
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probs[row] as number;
    for (let c = 1; c < classes; c++) {
      const p = probs[row + c] as number;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    out[t * 3] = best;
    out[t * 3 + 1] = bestP;
    out[t * 3 + 2] = space >= 0 ? (probs[row + space] as number) : 0;
  }
  return out;
}

/**
 * Greedy CTC decoding of one sequence from its per-step reduction ([T, 3] at `offset`: best class, its probability,
 * the space class' probability): repeats merged, blanks dropped. `dictionary[k - 1]` is class k.
 */
export function decodeGreedySteps(
  steps3: Float32Array,
  steps: number,
  dictionary: readonly string[],
  options: CtcOptions = {},
  offset = 0,
): RecognizedText {
  const blank = options.blank ?? 0;
  const space = options.spaceClass ?? spaceClassOf(dictionary);
  const threshold = options.spaceThreshold ?? 0.01;
  const chars: CtcChar[] = [];
  let previous = -1;
  let probabilitySum = 0;
  let kept = 0;
  // Highest space probability since the last character was emitted.
  let gapSpace = 0;
  for (let t = 0; t < steps; t++) {
    const at = offset + t * 3;
    const best = steps3[at] as number;
    const bestP = steps3[at + 1] as number;
    if (best !== blank && best === previous) {
      (chars[chars.length - 1] as CtcChar).end = t;
    } else if (best !== blank) {
      const last = chars[chars.length - 1];
      let char = dictionary[best - 1] ?? '';
      if (last && isWordChar(last.char)) char = asciiOfFullWidth(char);
      const needed = last && CLAUSE_PUNCTUATION.has(last.char) && /\p{L}/u.test(char) ? threshold / 10 : threshold;
      if (
        last &&
        best !== space &&
        last.char !== ' ' &&
        gapSpace >= needed &&
        isWordChar(last.char) &&
        isWordChar(char)
      ) {
        chars.push({ char: ' ', start: last.end + 1, end: t - 1, probability: gapSpace });
      }
      chars.push({ char, start: t, end: t, probability: bestP });
      // As PaddleOCR: the confidence averages the first step of each character the model emitted.
      probabilitySum += bestP;
      kept++;
      gapSpace = 0;
    }
    if (best === blank && space >= 0) gapSpace = Math.max(gapSpace, steps3[at + 2] as number);
    previous = best;
  }
  const confidence = kept === 0 ? 0 : probabilitySum / kept;
  return {
    text: chars
      .map((c) => c.char)
      .join('')
      .trim(),
    confidence,
    chars,
    steps,
  };
}

/**
 * Greedy CTC decoding of one sequence of [T, C] probabilities at `offset`: argmax per step, repeats merged, blanks
 * dropped. `dictionary[k - 1]` is class k.
 */
export function ctcGreedyDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  dictionary: readonly string[],
  options: CtcOptions = {},
  offset = 0,
): RecognizedText {
  const space = options.spaceClass ?? spaceClassOf(dictionary);
  return decodeGreedySteps(greedySteps(probs, offset, steps, classes, space), steps, dictionary, options);
}

export interface RecognitionMeta {
  /** How many rows of the batch hold real lines (the rest is padding). */
  count: number;
}

/**
 * Decodes a recogniser's output into N texts: [N, T, C] class probabilities, or the [N, T, 3] of a greedy CTC head
 * (output CTC_GREEDY_OUTPUT; its third column must be the class `options.spaceClass`, by default the dictionary's
 * space, which is what the OCR pipeline builds it with).
 */
export class CtcDecoder implements Decoder<RecognitionMeta, RecognizedText[]> {
  constructor(
    private readonly dictionary: readonly string[],
    private readonly options: CtcOptions = {},
  ) {}

  decode(outputs: Feeds, meta: RecognitionMeta): RecognizedText[] {
    const head = outputs[CTC_GREEDY_OUTPUT];
    return head ? this.#decodeHead(head, meta) : this.#decodeProbabilities(outputs, meta);
  }

  #decodeHead(head: Tensor, meta: RecognitionMeta): RecognizedText[] {
    const [n, steps, width] = head.dims as [number, number, number];
    if (head.dtype !== 'float32' || head.dims.length !== 3 || width !== 3) {
      throw new ModelOutputMismatchError(
        'CTC',
        `a float32 [N, T, 3] "${CTC_GREEDY_OUTPUT}" output`,
        `${head.dtype} [${head.dims.join(', ')}]`,
      );
    }
    const data = head.data as Float32Array;
    const classes = this.dictionary.length + 1;
    for (let i = 0; i < data.length; i += 3) {
      const best = data[i] as number;
      if (!(Number.isInteger(best) && best >= 0 && best < classes)) {
        throw new ModelOutputMismatchError(
          'CTC',
          `classes below ${classes} (the dictionary's ${this.dictionary.length} entries and the blank)`,
          `class ${best}`,
        );
      }
    }
    const results: RecognizedText[] = [];
    for (let i = 0; i < Math.min(n, meta.count); i++)
      results.push(decodeGreedySteps(data, steps, this.dictionary, this.options, i * steps * 3));
    return results;
  }

  #decodeProbabilities(outputs: Feeds, meta: RecognitionMeta): RecognizedText[] {
    const probs = singleOutput(outputs, 'CTC', { ranks: [3], shape: '[N, T, C]' });
    const [n, steps, classes] = probs.dims as [number, number, number];
    if (classes !== this.dictionary.length + 1) {
      throw new ModelOutputMismatchError(
        'CTC',
        `${this.dictionary.length + 1} classes (the dictionary's ${this.dictionary.length} entries and the blank)`,
        `${classes} classes`,
      );
    }
    const data = probs.data as Float32Array;
    const results: RecognizedText[] = [];
    for (let i = 0; i < Math.min(n, meta.count); i++) {
      results.push(ctcGreedyDecode(data, steps, classes, this.dictionary, this.options, i * steps * classes));
    }
    return results;
  }
}
