import type { V2InferenceRequest, V2Parameters, V2ResponseOutput } from '@polyinfer/backend-remote';
import { decodeBytesElements, encodeBytesElements, isV2Datatype, tensorFromBytes, tensorFromJson, tensorToBytes, tensorToJson } from '@polyinfer/backend-remote';
import type { WireTensor } from './served-model.js';
import { ServerError } from './server-errors.js';

const bad = (message: string, details: Record<string, unknown> = {}): ServerError => new ServerError('BAD_REQUEST', message, details);

function checkShape(name: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw bad(`input "${name}": shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`, { input: name });
  }
  return shape as number[];
}

/** A tensor from its datatype, shape and either binary bytes or JSON data (BYTES elements included). */
export function wireTensorFrom(name: string, datatype: unknown, shapeValue: unknown, source: { bytes: Uint8Array } | { json: unknown }): WireTensor {
  if (!isV2Datatype(datatype)) throw bad(`input "${name}": unknown datatype ${JSON.stringify(datatype)}`, { input: name, datatype });
  const shape = checkShape(name, shapeValue);
  const count = shape.reduce((a, b) => a * b, 1);
  if (datatype === 'BYTES') {
    let elements: Uint8Array[];
    if ('bytes' in source) elements = decodeBytesElements(source.bytes);
    else {
      const flat = Array.isArray(source.json) ? (source.json.flat(Infinity) as unknown[]) : [];
      if (!flat.every((v) => typeof v === 'string')) throw bad(`input "${name}": BYTES data in JSON is an array of strings`, { input: name });
      elements = flat.map((v) => new TextEncoder().encode(v as string));
    }
    if (elements.length !== count) throw bad(`input "${name}": BYTES [${shape.join(', ')}] needs ${count} elements, got ${elements.length}`, { input: name });
    return { name, datatype: 'BYTES', shape, elements };
  }
  const tensor = 'bytes' in source ? tensorFromBytes(datatype, shape, source.bytes) : tensorFromJson(datatype, shape, source.json);
  return { name, datatype, shape, tensor };
}

/**
 * An HTTP inference request body: the JSON object, then (binary extension) each input's bytes in order, sized by its
 * `binary_data_size`. Returns the inputs, the outputs asked for, and which of them are wanted as binary data.
 */
export function parseHttpInferRequest(body: Uint8Array, headerLength: number | undefined): { request: V2InferenceRequest; inputs: WireTensor[]; binaryOutputs: (name: string) => boolean } {
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
  if (typeof request !== 'object' || request === null || !Array.isArray(request.inputs)) throw bad('an inference request is a JSON object with an "inputs" array');
  let offset = jsonLength;
  const inputs = request.inputs.map((input, index) => {
    if (typeof input?.name !== 'string') throw bad(`input ${index} has no name`);
    const { name } = input;
    const size = input.parameters?.binary_data_size;
    if (size !== undefined) {
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || offset + size > body.byteLength) {
        throw bad(`input "${name}": binary_data_size ${JSON.stringify(size)} runs past the ${body.byteLength - jsonLength} bytes of binary data`, { input: name });
      }
      const bytes = body.subarray(offset, offset + size);
      offset += size;
      return wireTensorFrom(name, input.datatype, input.shape, { bytes });
    }
    if (input.data === undefined) throw bad(`input "${name}" has neither "data" nor a binary_data_size parameter`, { input: name });
    return wireTensorFrom(name, input.datatype, input.shape, { json: input.data });
  });
  if (offset !== body.byteLength) throw bad(`${body.byteLength - offset} bytes of binary data follow the inputs unclaimed`);
  if (request.outputs !== undefined && (!Array.isArray(request.outputs) || !request.outputs.every((o) => typeof o?.name === 'string'))) {
    throw bad('"outputs" is an array of objects with a "name"');
  }
  const all = request.parameters?.binary_data_output === true;
  const own = new Map((request.outputs ?? []).map((o) => [o.name, o.parameters?.binary_data] as const));
  const binaryOutputs = (name: string): boolean => {
    const flag = own.get(name);
    return typeof flag === 'boolean' ? flag : all;
  };
  return { request, inputs, binaryOutputs };
}

/** The response body: the JSON object, then the bytes of each output sent as binary data, in order. */
export function encodeHttpInferResponse(
  header: { model_name: string; model_version: string; id?: string },
  outputs: readonly WireTensor[],
  binary: (name: string) => boolean,
): { body: Uint8Array; headerLength?: number } {
  const parts: Uint8Array[] = [];
  const described: V2ResponseOutput[] = outputs.map((o) => {
    const asBinary = binary(o.name) || ('tensor' in o && o.tensor.dtype === 'float16');
    const base = { name: o.name, datatype: o.datatype, shape: o.shape };
    if (asBinary) {
      const bytes = 'tensor' in o ? tensorToBytes(o.tensor) : encodeBytesElements(o.elements);
      parts.push(bytes);
      return { ...base, parameters: { binary_data_size: bytes.byteLength } as V2Parameters };
    }
    return { ...base, data: 'tensor' in o ? tensorToJson(o.tensor) : o.elements.map((e) => new TextDecoder().decode(e)) };
  });
  const json = new TextEncoder().encode(JSON.stringify({ ...header, outputs: described }));
  if (parts.length === 0) return { body: json };
  const body = new Uint8Array(json.byteLength + parts.reduce((n, p) => n + p.byteLength, 0));
  body.set(json, 0);
  let offset = json.byteLength;
  for (const p of parts) {
    body.set(p, offset);
    offset += p.byteLength;
  }
  return { body, headerLength: json.byteLength };
}
