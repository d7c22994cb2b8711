export type { DataType, Feeds, TensorData, TensorDataMap } from './tensor.js';
export { DATA_TYPES, fromRuntimeTensor, isDataType, sizeOf, Tensor, tensorInfoFromRuntime } from './tensor.js';
export { DeviceProbes, probeModelBytes } from './device-probe.js';
export type {
  Backend,
  BackendFactory,
  DeviceInfo,
  DeviceStatus,
  GraphOptimizationLevel,
  ModelSource,
  SessionOptions,
} from './backend.js';
export type { Provenance, RunOptions, Session, TensorInfo } from './session.js';
export { BaseSession } from './session.js';
export { validateFeeds } from './validate-feeds.js';
export type { BackendReport, DeviceReport, RegistryOptions, SessionConfig } from './registry.js';
export { BackendRegistry, createRegistry, defaultRegistry } from './registry.js';
export type { Decoder, PipelineResult, PipelineSteps, Prepared, Preprocessor, StepTimings } from './pipeline.js';
export { createPipeline, Pipeline } from './pipeline.js';
export type { DeviceAttempt, ErrorCode, UnsupportedOp } from './errors.js';
export {
  BackendUnavailableError,
  ConfigError,
  DeviceUnavailableError,
  DisposedError,
  DtypeMismatchError,
  InferenceError,
  InputNameError,
  InvalidTensorError,
  isPolyinferError,
  MissingInputError,
  ModelLoadError,
  NoBackendAvailableError,
  PolyinferError,
  ShapeMismatchError,
  UnknownBackendError,
  UnknownDeviceError,
  UnsupportedOpError,
} from './errors.js';
export { buildOnnxModel } from './onnx-model-builder.js';
export type { AttributeValue, ModelSpec, NodeSpec, TensorSpec, ValueSpec } from './onnx-model-builder.js';
