import type { Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/backend-remote';

/** A tensor as it crosses the wire: numeric ones as polyinfer tensors, BYTES ones as their elements. */
export type WireTensor =
  | { name: string; datatype: string; shape: number[]; tensor: Tensor }
  | { name: string; datatype: 'BYTES'; shape: number[]; elements: Uint8Array[] };

/** A model the server answers for: its v2 metadata and how one (possibly merged) request is computed. */
export interface ServedModel {
  readonly name: string;
  readonly version: string;
  readonly platform: string;
  readonly inputs: readonly V2TensorMetadata[];
  readonly outputs: readonly V2TensorMetadata[];
  /** Requests can be merged along the first dimension (every input's first dimension is dynamic). */
  readonly batchable: boolean;
  /** Inference count of a request (its batch size; 1 for a model that does not batch). */
  batchSizeOf(inputs: readonly WireTensor[]): number;
  infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]>;
  dispose(): Promise<void>;
}
