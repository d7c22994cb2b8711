import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { WireSource } from './wire-tensor.js';

/** The official KServe v2 service definition, shipped unchanged with this package (Apache-2.0, see proto/). */
export const V2_PROTO_PATH = fileURLToPath(new URL('../proto/grpc_predict_v2.proto', import.meta.url));

let definition: grpc.GrpcObject | undefined;

/**
 * `inference.GRPCInferenceService` loaded from the .proto at run time: field names as in the proto (snake_case),
 * int64 as JavaScript numbers (shapes and sizes stay far below 2^53), bytes as Buffers.
 */
export function v2GrpcPackage(): grpc.GrpcObject {
  definition ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(V2_PROTO_PATH, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true }),
  );
  return definition;
}

/**
 * Trailing metadata a server sets on an UNAVAILABLE it answered before running the call (a full queue, shutting
 * down): the one case where a client may send an inference again. polyinfer's server and client both use it.
 */
export const NOT_RUN_METADATA_KEY = 'polyinfer-not-run';

export type GrpcServiceClientConstructor = grpc.ServiceClientConstructor;

export function v2ServiceClient(): grpc.ServiceClientConstructor {
  return (v2GrpcPackage().inference as grpc.GrpcObject).GRPCInferenceService as grpc.ServiceClientConstructor;
}

/** The protobuf messages as proto-loader gives them (keepCase, defaults on). */
export interface GrpcInferTensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<
    string,
    { parameter_choice?: string; bool_param?: boolean; int64_param?: number; string_param?: string }
  >;
  contents?: Record<string, unknown[]> | null;
}

export interface GrpcInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  inputs: GrpcInferTensor[];
  outputs: { name: string }[];
  raw_input_contents: Buffer[];
}

export interface GrpcInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: GrpcInferTensor[];
  raw_output_contents: Buffer[];
}

/**
 * Where a gRPC tensor's elements are: its raw contents when given, else its typed `contents` list — BYTES elements
 * as the byte strings they are (an image sent in `bytes_contents` arrives as it was sent), numbers as one array.
 */
export function grpcSourceOf(
  tensor: Pick<GrpcInferTensor, 'contents' | 'datatype'>,
  raw: Buffer | undefined,
): WireSource {
  if (raw !== undefined) return { bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) };
  for (const values of Object.values(tensor.contents ?? {})) {
    if (!Array.isArray(values) || values.length === 0) continue;
    if (values.every((v) => Buffer.isBuffer(v)))
      return { elements: values.map((v: Buffer) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    return { json: values };
  }
  return tensor.datatype === 'BYTES' ? { elements: [] } : { json: [] };
}
