import type { Tensor } from '@polyinfer/core';
import { sizeOf } from '@polyinfer/core';
import type { V2InferenceRequest } from './v2-messages.js';
import type { DeclaredInput, WireSource, WireTensor } from './wire-tensor.js';
import {
  decodeBytesElements,
  isV2Datatype,
  tensorFromBytes,
  tensorFromJson,
  tensorToBytes,
  tensorToJson,
  toV2Datatype,
  V2_ELEMENT_BYTES,
} from './v2-datatypes.js';
import { V2ProtocolError } from './v2-protocol-error.js';

const bad = (message: string, details: Record<string, unknown> = {}): V2ProtocolError =>
  new V2ProtocolError(message, details);

/** An inference request as the server reads it: inputs declared (not yet read), the outputs asked for and in which form. */
export interface ParsedInferRequest {
  id?: string;
  inputs: DeclaredInput[];
  /** The outputs asked for by name; undefined: all of them. */
  outputs: string[] | undefined;
  /** Whether an output goes back as binary data (its own `binary_data`, else the request's `binary_data_output`). */
  binaryOutput(name: string): boolean;
}

/** A declared shape: an array of non-negative integers whose element count stays a safe integer. */
export function checkShape(name: string, shape: unknown): number[] {
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
    !Number.isSafeInteger(sizeOf(shape as number[]))
  ) {
    throw bad(
      `input "${name}": shape must be an array of non-negative integers, got ${JSON.stringify(shape)?.slice(0, 200)}`,
      { input: name },
    );
  }
  return shape as number[];
}

/** An input's declaration: a known datatype, a valid shape, and binary data (when sent so) of exactly the right size. */
export function declareInput(name: string, datatype: unknown, shapeValue: unknown, source: WireSource): DeclaredInput {
  if (!isV2Datatype(datatype))
    throw bad(`input "${name}": unknown datatype ${JSON.stringify(datatype)?.slice(0, 100)}`, {
      input: name,
      datatype,
    });
  const shape = checkShape(name, shapeValue);
  if ('bytes' in source && datatype !== 'BYTES') {
    const expected = sizeOf(shape) * V2_ELEMENT_BYTES[datatype];
    if (source.bytes.byteLength !== expected) {
      throw bad(
        `input "${name}": ${datatype} [${shape.join(', ')}] is ${expected} bytes of binary data, got ${source.bytes.byteLength}`,
        { input: name, expected, got: source.bytes.byteLength },
      );
    }
  }
  return { name, datatype, shape, source };
}

/** The declared input's elements read into a tensor (or BYTES elements); the count must match the shape. */
export function readInput(input: DeclaredInput): WireTensor {
  try {
    return readElements(input);
  } catch (error) {
    if (error instanceof V2ProtocolError && error.details.input === undefined)
      throw bad(`input "${input.name}": ${error.message}`, { ...error.details, input: input.name });
    throw error;
  }
}

function readElements(input: DeclaredInput): WireTensor {
  const { name, datatype, shape, source } = input;
  const count = sizeOf(shape);
  if (datatype === 'BYTES') {
    let elements: Uint8Array[];
    if ('bytes' in source) elements = decodeBytesElements(source.bytes, count);
    else if ('elements' in source) elements = source.elements;
    else {
      const flat = Array.isArray(source.json) ? (source.json.flat(Infinity) as unknown[]) : [];
      if (!flat.every((v) => typeof v === 'string')) throw bad('BYTES data in JSON is an array of strings');
      const encoder = new TextEncoder();
      elements = flat.map((v) => encoder.encode(v as string));
    }
    if (elements.length !== count)
      throw bad(`BYTES [${shape.join(', ')}] needs ${count} elements, got ${elements.length}`);
    return { name, datatype: 'BYTES', shape, elements };
  }
  if ('elements' in source) throw bad(`${datatype} data cannot come as bytes_contents`);
  const tensor =
    'bytes' in source ? tensorFromBytes(datatype, shape, source.bytes) : tensorFromJson(datatype, shape, source.json);
  return { name, datatype, shape, tensor };
}

/**
 * A REST inference request body: the JSON object, then (binary extension) each input's bytes in order, sized by its
 * `binary_data_size`. Every structural fact is checked here; the elements are read later by `readInput`, once the
 * server has checked the declarations against the model.
 */
export function parseRestInferRequest(body: Uint8Array, headerLength: number | undefined): ParsedInferRequest {
  const jsonLength = headerLength ?? body.byteLength;
  if (!Number.isInteger(jsonLength) || jsonLength < 0 || jsonLength > body.byteLength) {
    throw bad(`Inference-Header-Content-Length ${headerLength} does not fit a body of ${body.byteLength} bytes`);
  }
  let request: V2InferenceRequest;
  try {
    request = JSON.parse(new TextDecoder().decode(body.subarray(0, jsonLength))) as V2InferenceRequest;
  } catch (error) {
    throw bad(`the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof request !== 'object' || request === null || !Array.isArray(request.inputs))
    throw bad('an inference request is a JSON object with an "inputs" array');
  if (request.id !== undefined && typeof request.id !== 'string') throw bad('"id" is a string');
  let offset = jsonLength;
  const inputs = request.inputs.map((input, index) => {
    if (typeof input !== 'object' || input === null || typeof input.name !== 'string')
      throw bad(`input ${index} has no name`);
    const { name } = input;
    const size = input.parameters?.binary_data_size;
    if (size !== undefined) {
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || offset + size > body.byteLength) {
        throw bad(
          `input "${name}": binary_data_size ${JSON.stringify(size)} runs past the ${body.byteLength - jsonLength} bytes of binary data`,
          { input: name },
        );
      }
      const bytes = body.subarray(offset, offset + size);
      offset += size;
      return declareInput(name, input.datatype, input.shape, { bytes });
    }
    if (input.data === undefined)
      throw bad(`input "${name}" has neither "data" nor a binary_data_size parameter`, { input: name });
    return declareInput(name, input.datatype, input.shape, { json: input.data });
  });
  if (offset !== body.byteLength)
    throw bad(`${body.byteLength - offset} bytes of binary data follow the inputs unclaimed`);
  if (
    request.outputs !== undefined &&
    (!Array.isArray(request.outputs) || !request.outputs.every((o) => typeof o?.name === 'string'))
  ) {
    throw bad('"outputs" is an array of objects with a "name"');
  }
  const all = request.parameters?.binary_data_output === true;
  const own = new Map((request.outputs ?? []).map((o) => [o.name, o.parameters?.binary_data] as const));
  return {
    ...(request.id !== undefined ? { id: request.id } : {}),
    inputs,
    outputs: request.outputs?.map((o) => o.name),
    binaryOutput: (name) => {
      const flag = own.get(name);
      return typeof flag === 'boolean' ? flag : all;
    },
  };
}

/** A REST inference request from named tensors: binary data (default) or JSON arrays; outputs as asked. */
export function encodeRestInferRequest(call: {
  inputs: Record<string, Tensor>;
  outputs?: readonly string[];
  id?: string;
  binary: boolean;
}): {
  body: Uint8Array<ArrayBuffer>;
  headerLength?: number;
} {
  const tensors = Object.entries(call.inputs);
  const { binary } = call;
  const bytes = binary ? tensors.map(([, t]) => tensorToBytes(t)) : [];
  const request: V2InferenceRequest = {
    ...(call.id ? { id: call.id } : {}),
    inputs: tensors.map(([name, t], i) => ({
      name,
      shape: [...t.dims],
      datatype: toV2Datatype(t.dtype),
      ...(binary
        ? { parameters: { binary_data_size: (bytes[i] as Uint8Array).byteLength } }
        : { data: tensorToJson(t) }),
    })),
    ...(call.outputs ? { outputs: call.outputs.map((name) => ({ name, parameters: { binary_data: binary } })) } : {}),
    ...(binary && !call.outputs ? { parameters: { binary_data_output: true } } : {}),
  };
  const header = new TextEncoder().encode(JSON.stringify(request));
  if (!binary) return { body: header };
  return { body: concatBytes([header, ...bytes]), headerLength: header.byteLength };
}

/** Byte arrays one after another in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
