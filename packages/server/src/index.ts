export type { ServedModel, WireTensor } from './served-model.js';
export { TensorModel } from './tensor-model.js';
export { OcrModel } from './ocr-model.js';
export { DetectionModel } from './detection-model.js';
export { ClassificationModel } from './classification-model.js';
export { imageFormatOf } from './image-request.js';
export type { ServedTask, ServedTaskContext } from './served-tasks.js';
export { SERVED_TASKS } from './served-tasks.js';
export type { SchedulerObserver, SchedulerOptions } from './model-scheduler.js';
export { ModelScheduler } from './model-scheduler.js';
export { ModelStats } from './model-stats.js';
export { ServerMetrics } from './server-metrics.js';
export type { ValidatedRequest } from './request-validation.js';
export { requestByteBound, validateRequest } from './request-validation.js';
export type { InferenceServerOptions } from './inference-server.js';
export { InferenceServer, SERVER_EXTENSIONS } from './inference-server.js';
export { ClientPresence } from './client-presence.js';
export type { HostPolicyOptions } from './host-policy.js';
export { HostPolicy, isLoopbackHost } from './host-policy.js';
export type { ServerErrorCode } from './server-errors.js';
export { ServerError } from './server-errors.js';
export type { TlsFiles } from './http-front-end.js';
export type { ServedModelSetOptions } from './served-model-set.js';
export {
  DEFAULT_MAX_IMAGE_PIXELS,
  DEFAULT_SERVED_MODELS,
  loadServedModels,
  OCR_MODEL_NAME,
} from './served-model-set.js';
export type { RunningServer, ServeOptions } from './serve.js';
export { serve, SERVE_DEFAULTS } from './serve.js';
export { isBatchable, tritonConfig, writeTritonModel } from './triton-export.js';
