import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, PolyinferError } from '../src/index.js';

/** A polyinfer-style error class under another name, as a minified bundle would call it. */
const ImageDecodeErrorLike = class Zc extends PolyinferError {
  override readonly name = 'ImageDecodeError';
  constructor() {
    super('IMAGE_DECODE_FAILED', 'cannot decode');
  }
};

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('error names', () => {
  it('every polyinfer error class spells its name out (a minified bundle renames classes)', () => {
    const classes: string[] = [];
    for (const pkg of readdirSync(PACKAGES)) {
      let files: string[];
      try {
        files = sourcesUnder(join(PACKAGES, pkg, 'src'));
      } catch {
        continue;
      }
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/^export class (\w+) extends PolyinferError\b[^{\n]*\{\n(.*)$/gm)) {
          classes.push(match[1] as string);
          expect(match[2]?.trim(), `${file}: ${match[1]}`).toBe(`override readonly name = '${match[1]}';`);
        }
      }
    }
    // Core's, and those of preprocess, models, optimize, remote and server.
    expect(classes.length).toBeGreaterThanOrEqual(25);
  });

  it('the name a class spells out is the one an instance reports, also once the class itself is renamed', () => {
    expect(new ConfigError('x').name).toBe('ConfigError');
    // As a minifier leaves it: the class is called something else, the field still says what failed.
    expect(new ImageDecodeErrorLike().name).toBe('ImageDecodeError');
    expect(new ImageDecodeErrorLike()).toBeInstanceOf(PolyinferError);
  });
});
