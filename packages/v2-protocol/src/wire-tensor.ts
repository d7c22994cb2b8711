import type { Tensor } from '@polyinfer/core';

/** A tensor as it crosses the wire: numeric ones as polyinfer tensors, BYTES ones as their elements (bytes as bytes). */
export type WireTensor =
  | { name: string; datatype: string; shape: number[]; tensor: Tensor }
  | { name: string; datatype: 'BYTES'; shape: number[]; elements: Uint8Array[] };

/** Where an input's elements are in a request, before they are read into a tensor. */
export type WireSource =
  /** Binary data: the binary extension's bytes (REST) or `raw_input_contents` (gRPC). */
  | { bytes: Uint8Array }
  /** JSON `data` (REST) or the typed `contents` lists (gRPC), as one array. */
  | { json: unknown }
  /** BYTES elements that arrived as separate byte strings (gRPC `bytes_contents`). */
  | { elements: Uint8Array[] };

/** One input of a request as declared: name, datatype and shape checked, data not yet read. */
export interface DeclaredInput {
  name: string;
  datatype: string;
  shape: number[];
  source: WireSource;
}
