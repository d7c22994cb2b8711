export type { OrtInferenceSession, OrtRuntime, OrtSessionCreateOptions, OrtTensor } from './ort-runtime.js';
export type { OrtValueMetadata } from './ort-tensors.js';
export { feedsToOrt, outputsFromOrt, tensorInfoFromOrt } from './ort-tensors.js';
export { isOrtDeviceFailure, ortErrorMessage } from './ort-errors.js';
export { loadOrtRuntime, openOrtSession } from './open-ort-session.js';
export { OrtSession } from './ort-session.js';
