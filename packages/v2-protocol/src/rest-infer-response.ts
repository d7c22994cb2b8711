import type { Tensor } from '@polyinfer/core';
import type { V2InferenceResponse, V2Parameters, V2ResponseOutput } from './v2-messages.js';
import type { WireTensor } from './wire-tensor.js';
import { concatBytes } from './rest-infer-request.js';
import { encodeBytesElements, tensorFromBytes, tensorFromJson, tensorToBytes, tensorToJson } from './v2-datatypes.js';
import { V2ProtocolError } from './v2-protocol-error.js';

/** The response body: the JSON object, then the bytes of each output sent as binary data, in order. */
export function encodeRestInferResponse(
  header: { model_name: string; model_version: string; id?: string },
  outputs: readonly WireTensor[],
  binary: (name: string) => boolean,
): { body: Uint8Array; headerLength?: number } {
  const parts: Uint8Array[] = [];
  const decoder = new TextDecoder();
  const described: V2ResponseOutput[] = outputs.map((o) => {
    // FP16 and BF16 have no JSON form in the protocol: they always go as binary data.
    const asBinary =
      binary(o.name) || ('tensor' in o && (o.tensor.dtype === 'float16' || o.tensor.dtype === 'bfloat16'));
    const base = { name: o.name, datatype: o.datatype, shape: o.shape };
    if (asBinary) {
      const bytes = 'tensor' in o ? tensorToBytes(o.tensor) : encodeBytesElements(o.elements);
      parts.push(bytes);
      return { ...base, parameters: { binary_data_size: bytes.byteLength } as V2Parameters };
    }
    return { ...base, data: 'tensor' in o ? tensorToJson(o.tensor) : o.elements.map((e) => decoder.decode(e)) };
  });
  const json = new TextEncoder().encode(JSON.stringify({ ...header, outputs: described }));
  if (parts.length === 0) return { body: json };
  return { body: concatBytes([json, ...parts]), headerLength: json.byteLength };
}

/**
 * A REST inference response read back. Nothing the server says is taken on trust: the header length must fit the
 * body, each `binary_data_size` must fit what is left and match its datatype and shape, and no byte may go unclaimed.
 */
export function parseRestInferResponse(bytes: Uint8Array, headerLengthValue: string | null): Record<string, Tensor> {
  const headerLength = headerLengthValue === null ? bytes.byteLength : Number(headerLengthValue);
  if (!Number.isInteger(headerLength) || headerLength < 0 || headerLength > bytes.byteLength) {
    throw new V2ProtocolError(
      `Inference-Header-Content-Length ${headerLengthValue} does not fit a body of ${bytes.byteLength} bytes`,
      { headerLength: headerLengthValue },
    );
  }
  let parsed: V2InferenceResponse;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(0, headerLength))) as V2InferenceResponse;
  } catch (error) {
    throw new V2ProtocolError(`the inference response is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.outputs))
    throw new V2ProtocolError('the inference response has no "outputs" array');
  const outputs: Record<string, Tensor> = {};
  let offset = headerLength;
  for (const output of parsed.outputs) {
    if (typeof output?.name !== 'string') throw new V2ProtocolError('an output of the inference response has no name');
    const size = output.parameters?.binary_data_size;
    if (size !== undefined) {
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || offset + size > bytes.byteLength) {
        throw new V2ProtocolError(
          `output "${output.name}": binary_data_size ${JSON.stringify(size)} runs past the ${bytes.byteLength - offset} bytes left`,
          { output: output.name },
        );
      }
      outputs[output.name] = tensorFromBytes(output.datatype, output.shape, bytes.subarray(offset, offset + size));
      offset += size;
    } else {
      outputs[output.name] = tensorFromJson(output.datatype, output.shape, output.data);
    }
  }
  if (offset !== bytes.byteLength)
    throw new V2ProtocolError(`${bytes.byteLength - offset} bytes of binary data follow the outputs unclaimed`);
  return outputs;
}
