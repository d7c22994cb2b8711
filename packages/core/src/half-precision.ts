// float16 and bfloat16 tensors hold raw bits (Uint16Array): these read and write them as numbers.

const FLOAT32 = new Float32Array(1);
const BITS = new Uint32Array(FLOAT32.buffer);

/** IEEE half bits as a number. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** A number as IEEE half bits, truncated toward zero; below half's normal range → ±0, above → ±inf, NaN → NaN. */
export function numberToFloat16(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  FLOAT32[0] = value;
  const x = BITS[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  return sign | (exponent << 10) | ((x & 0x7fffff) >> 13);
}

/** bfloat16 bits as a number (float32's upper half). */
export function bfloat16ToNumber(bits: number): number {
  BITS[0] = bits << 16;
  return FLOAT32[0] as number;
}

/** A number as bfloat16 bits, truncated (float32's upper half). */
export function numberToBfloat16(value: number): number {
  FLOAT32[0] = value;
  return (BITS[0] as number) >>> 16;
}
