export type * from './v2-messages.js';
export { INFERENCE_HEADER_CONTENT_LENGTH } from './v2-messages.js';
export type { V2Datatype } from './v2-datatypes.js';
export {
  decodeBytesElements,
  encodeBytesElements,
  fromV2Datatype,
  isV2Datatype,
  stringElements,
  stringTensorFromElements,
  tensorFromBytes,
  tensorFromJson,
  tensorToBytes,
  tensorToJson,
  toV2Datatype,
  V2_DTYPES,
  V2_ELEMENT_BYTES,
} from './v2-datatypes.js';
export { V2ProtocolError } from './v2-protocol-error.js';
export type { DeclaredInput, WireSource, WireTensor } from './wire-tensor.js';
export type { ParsedInferRequest } from './rest-infer-request.js';
export {
  checkShape,
  concatBytes,
  declareInput,
  encodeRestInferRequest,
  parseRestInferRequest,
  readInput,
} from './rest-infer-request.js';
export { encodeRestInferResponse, parseRestInferResponse } from './rest-infer-response.js';
