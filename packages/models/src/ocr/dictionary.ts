/**
 * A CTC dictionary: one symbol per line; class k of the model is entry k − 1 (class 0 is the blank). PP-OCR's
 * recogniser has one class more than its key file: the space, appended (`use_space_char`).
 */
export function parseDictionary(text: string, options: { appendSpace?: boolean } = {}): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (options.appendSpace ?? true) lines.push(' ');
  return lines;
}
