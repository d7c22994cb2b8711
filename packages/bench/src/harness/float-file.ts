import { readFileSync } from 'node:fs';

/** A saved float32 file (an output, or a prepared input) as a Float32Array (copied: small files come back as slices of a shared pool). */
export function readFloats(file: string): Float32Array {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
