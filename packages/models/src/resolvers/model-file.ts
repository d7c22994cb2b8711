/** Where a model file comes from. */
export type ModelFileSource =
  /** A file shipped in an npm package: `entry` is any specifier of it that resolves (its exports may hide others). */
  | { kind: 'npm'; package: string; entry: string; path: string }
  | { kind: 'path'; path: string }
  /** Downloaded once into the cache, checked against `sha256` before use. */
  | { kind: 'url'; url: string };

export interface ModelFile {
  source: ModelFileSource;
  /** Hex sha256 of the file; checked on first use in a process. */
  sha256?: string;
  bytes?: number;
}
