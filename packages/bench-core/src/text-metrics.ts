/** Levenshtein distance over Unicode code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/** Whitespace runs (line breaks included) become one space: how lines are split doesn't count, lost spaces do. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Character error rate of `got` against `reference`, over whitespace-normalised page text. */
export function characterErrorRate(got: string, reference: string): number {
  const ref = normaliseWhitespace(reference);
  return ref.length === 0 ? 0 : editDistance(normaliseWhitespace(got), ref) / [...ref].length;
}

/**
 * How many reference lines were read exactly, in order: each reference line matched by the next read line equal to
 * it (a line read out of order, or split, or joined with its neighbour, does not count).
 */
export function exactLinesInOrder(got: readonly string[], reference: readonly string[]): number {
  let exact = 0;
  let at = 0;
  for (const line of reference) {
    const found = got.indexOf(line, at);
    if (found >= 0) {
      exact++;
      at = found + 1;
    }
  }
  return exact;
}
