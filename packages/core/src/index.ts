export type { DataType, Feeds, NumericDataType, TensorData, TensorDataMap } from './tensor.js';
export { allocateData, DATA_TYPES, DTYPE_BYTES, isDataType, isTensor, sizeOf, Tensor } from './tensor.js';
export { packFourBit, unpackFourBit } from './four-bit-packing.js';
export { bfloat16ToNumber, float16ToNumber, numberToBfloat16, numberToFloat16 } from './half-precision.js';
export { dtypeOfOnnxElementType, ONNX_ELEMENT_TYPE, onnxElementTypeName } from './onnx-element-types.js';
export type {
  Backend,
  BackendCapabilities,
  BackendFactory,
  BackendOptionsByName,
  DeviceInfo,
  DeviceStatus,
  Environment,
  GraphOptimizationLevel,
  ModelSource,
  RunPolicy,
  SessionContext,
  SessionOptions,
  TunableOption,
} from './backend.js';
export { TUNABLE_OPTIONS } from './backend.js';
export type { BackendOptionType } from './backend-option-types.js';
export { checkBackendOptionValues } from './backend-option-types.js';
export type { LoadedModel, ModelAccess, OpenRequest } from './base-backend.js';
export { BaseBackend, probeModelBytes } from './base-backend.js';
export type { BackendEntry } from './backend-entry.js';
export { defineBackendEntry } from './backend-entry.js';
export type { Platform } from './platform.js';
export { webgpuAdapterStatus } from './platform.js';
export type { IgnoredOption, Provenance, RunOptions, Session, SessionIdentity, TensorInfo } from './session.js';
export { BaseSession } from './session.js';
export { validateFeeds } from './validate-feeds.js';
export type { BackendReport, DeviceReport, RegistryOptions, SessionConfig } from './registry.js';
export { BackendRegistry, createRegistry, defaultRegistry } from './registry.js';
export type { Decoder, PipelineResult, PipelineSteps, Prepared, Preprocessor, StepTimings } from './pipeline.js';
export { createPipeline, Pipeline } from './pipeline.js';
export type { CoreErrorCode, DeviceAttempt, ErrorFault, UnsupportedDtype, UnsupportedOp } from './errors.js';
export {
  BackendUnavailableError,
  CancelledError,
  ConfigError,
  DeviceUnavailableError,
  DisposedError,
  DtypeMismatchError,
  InferenceError,
  InputNameError,
  InvalidTensorError,
  isCallerFault,
  isPolyinferError,
  MissingInputError,
  ModelLoadError,
  NoBackendAvailableError,
  PolyinferError,
  reasonOf,
  ShapeMismatchError,
  UnknownBackendError,
  UnknownDeviceError,
  UnsupportedDtypeError,
  UnsupportedOpError,
} from './errors.js';
export { buildOnnxModel } from './onnx-model-builder.js';
export type { AttributeValue, ModelSpec, NodeSpec, TensorSpec, ValueSpec } from './onnx-model-builder.js';
