import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

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

export type GrpcServiceClientConstructor = grpc.ServiceClientConstructor;

export function v2ServiceClient(): grpc.ServiceClientConstructor {
  return (v2GrpcPackage().inference as grpc.GrpcObject).GRPCInferenceService as grpc.ServiceClientConstructor;
}

/** The protobuf messages as proto-loader gives them (keepCase, defaults on). */
export interface GrpcInferTensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, { parameter_choice?: string; bool_param?: boolean; int64_param?: number; string_param?: string }>;
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
 * The typed `contents` lists of a tensor sent without raw bytes, as one JSON-like array (BYTES elements as UTF-8
 * strings, as the REST form has them).
 */
export function grpcContentsOf(tensor: Pick<GrpcInferTensor, 'contents'>): unknown[] {
  for (const values of Object.values(tensor.contents ?? {})) {
    if (Array.isArray(values) && values.length > 0) return values.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
  }
  return [];
}
