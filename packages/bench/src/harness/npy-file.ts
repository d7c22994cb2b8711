import { readFileSync } from 'node:fs';
import type { DataType, TensorDataMap } from '@polyinfer/core';
import { allocateData, sizeOf, Tensor } from '@polyinfer/core';

/** NumPy's little-endian (or byte-order-free) descriptors for the dtypes polyinfer holds. */
const NPY_DTYPES: Record<string, DataType> = {
  '<f2': 'float16',
  '<f4': 'float32',
  '<f8': 'float64',
  '|i1': 'int8',
  '<i2': 'int16',
  '<i4': 'int32',
  '<i8': 'int64',
  '|u1': 'uint8',
  '<u2': 'uint16',
  '<u4': 'uint32',
  '<u8': 'uint64',
  '|b1': 'bool',
};

/**
 * A NumPy `.npy` file (format 1.0 to 3.0, C order) as a tensor. The format is a magic string, a header length and a
 * Python dict literal ({'descr': '<f4', 'fortran_order': False, 'shape': (1, 3)}), then the raw elements; reading it
 * takes a few lines, where the npm readers cover fewer dtypes (no uint64 or bool) than polyinfer holds.
 */
export function readNpy(path: string): Tensor {
  const bytes = readFileSync(path);
  const bad = (why: string): Error => new Error(`${path} is not a NumPy .npy file polyinfer reads: ${why}`);
  if (bytes.length < 10 || bytes[0] !== 0x93 || bytes.subarray(1, 6).toString('latin1') !== 'NUMPY')
    throw bad('no \\x93NUMPY magic');
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.subarray(headerStart, headerStart + headerLength).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw bad(`unreadable header ${header.trim()}`);
  if (fortran === 'True') throw bad('Fortran order (save it with np.ascontiguousarray)');
  const dtype = NPY_DTYPES[descr.replace(/^=/, '<')];
  if (!dtype) throw bad(`dtype ${descr} (polyinfer reads ${Object.keys(NPY_DTYPES).join(', ')})`);
  const dims = shapeText
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)
    .map(Number);
  const count = sizeOf(dims);
  const data = allocateData(dtype, count) as Exclude<TensorDataMap[DataType], string[]>;
  const body = bytes.subarray(headerStart + headerLength);
  if (body.byteLength !== data.byteLength)
    throw bad(`${body.byteLength} bytes of data where ${descr} [${dims.join(', ')}] needs ${data.byteLength}`);
  new Uint8Array(data.buffer).set(body);
  return new Tensor(dtype, data, dims);
}
