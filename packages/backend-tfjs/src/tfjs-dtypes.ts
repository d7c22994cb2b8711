import type { DataType } from '@polyinfer/core';

/**
 * What a tfjs session takes and gives: tfjs holds float32, int32 and bool; int64 travels as int32 on the device (as
 * numbers on the host), and the narrow integers (int8, uint8, int16, uint16) compute in int32 — exact, since int32
 * holds every value — and wrap to their width where ONNX does (Cast, outputs).
 */
export const TFJS_DTYPES: readonly DataType[] = [
  'float32',
  'int32',
  'int64',
  'uint8',
  'int8',
  'int16',
  'uint16',
  'bool',
];

/** The integer types narrower than int32, by their width and sign. */
export const NARROW_INTEGERS: Readonly<Record<string, { bits: number; signed: boolean }>> = {
  int8: { bits: 8, signed: true },
  uint8: { bits: 8, signed: false },
  int16: { bits: 16, signed: true },
  uint16: { bits: 16, signed: false },
};

export const INTEGER_DTYPES: readonly string[] = ['int32', 'int64', ...Object.keys(NARROW_INTEGERS)];
export const NUMERIC_DTYPES: readonly string[] = ['float32', ...INTEGER_DTYPES];

/** An integer wrapped into a narrow type's range, as a C cast does (int32 −1 → uint8 255); other types as they are. */
export function wrapInteger(x: number, dtype: string): number {
  const narrow = NARROW_INTEGERS[dtype];
  if (!narrow) return x;
  const m = 2 ** narrow.bits;
  const u = ((x % m) + m) % m;
  return narrow.signed && u >= m / 2 ? u - m : u;
}
