/**
 * int4/uint4 as runtimes and ONNX files store them: two elements to a byte, the first in the low nibble. polyinfer's
 * Tensor keeps one element per byte so that `data[i]` is element i; these convert at a runtime's boundary.
 */
export function packFourBit(values: Int8Array | Uint8Array): Uint8Array {
  const packed = new Uint8Array(Math.ceil(values.length / 2));
  for (let i = 0; i < values.length; i++) {
    const nibble = (values[i] as number) & 0x0f;
    packed[i >> 1] = (packed[i >> 1] as number) | (i & 1 ? nibble << 4 : nibble);
  }
  return packed;
}

/** `count` elements out of packed nibbles: sign-extended for int4, as they are for uint4. */
export function unpackFourBit<T extends 'int4' | 'uint4'>(
  dtype: T,
  packed: ArrayLike<number>,
  count: number,
): T extends 'int4' ? Int8Array : Uint8Array {
  const out = dtype === 'int4' ? new Int8Array(count) : new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const byte = packed[i >> 1] as number;
    const nibble = i & 1 ? (byte >> 4) & 0x0f : byte & 0x0f;
    out[i] = dtype === 'int4' && nibble > 7 ? nibble - 16 : nibble;
  }
  return out as T extends 'int4' ? Int8Array : Uint8Array;
}
