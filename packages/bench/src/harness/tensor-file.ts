import { readFileSync, writeFileSync } from 'node:fs';
import type { DataType, Tensor } from '@polyinfer/core';
import { tensorFromBytes, tensorToBytes, toV2Datatype } from '@polyinfer/v2-protocol';

/**
 * A tensor as a file the cells share (an input prepared once, an output kept for parity): its elements in the Open
 * Inference Protocol's binary layout (little-endian, row-major; strings length-prefixed). The dtype and dims travel
 * beside it, in the spec or the result.
 */
export function writeTensorFile(file: string, tensor: Tensor): void {
  writeFileSync(file, tensorToBytes(tensor));
}

export function readTensorFile(file: string, dtype: DataType, dims: readonly number[]): Tensor {
  return tensorFromBytes(toV2Datatype(dtype), dims, readFileSync(file));
}

/** A saved float32 file as a Float32Array. */
export function readFloats(file: string, dims: readonly number[]): Float32Array {
  return readTensorFile(file, 'float32', dims).data as Float32Array;
}
