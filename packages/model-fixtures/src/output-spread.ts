/** How far a probability vector is from one-hot: its top probability, and how many classes carry any weight. */
export interface OutputSpread {
  top: number;
  /** Classes above 1e-4. */
  classes: number;
  saturated: boolean;
}

/**
 * A classifier output a parity check can read: no class at ≥ 0.9 and at least 5 classes above 1e-4. A one-hot
 * output only says "same top class" — every backend agrees on it to the last bit whatever it computes.
 */
export function outputSpread(probabilities: Float32Array): OutputSpread {
  let top = 0;
  let classes = 0;
  for (const p of probabilities) {
    if (p > top) top = p;
    if (p > 1e-4) classes++;
  }
  return { top, classes, saturated: top >= 0.9 || classes < 5 };
}
