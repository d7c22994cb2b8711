/** The JSON objects of the Open Inference Protocol's REST API (required_api.md), as TypeScript. */

export type V2Parameters = Record<string, string | number | boolean>;

export interface V2TensorMetadata {
  name: string;
  datatype: string;
  /** Variable-size dimensions are -1. */
  shape: number[];
}

export interface V2ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

export interface V2ModelMetadata {
  name: string;
  versions?: string[];
  platform: string;
  inputs: V2TensorMetadata[];
  outputs: V2TensorMetadata[];
}

export interface V2RequestInput {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: V2Parameters;
  data?: unknown[];
}

export interface V2RequestOutput {
  name: string;
  parameters?: V2Parameters;
}

export interface V2InferenceRequest {
  id?: string;
  parameters?: V2Parameters;
  inputs: V2RequestInput[];
  outputs?: V2RequestOutput[];
}

export interface V2ResponseOutput {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: V2Parameters;
  data?: unknown[];
}

export interface V2InferenceResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: V2Parameters;
  outputs: V2ResponseOutput[];
}

export interface V2ErrorResponse {
  error: string;
}

/** The header that gives the JSON part's length when binary tensor data follows it (Triton's binary extension). */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';
