import type * as OrtCommon from 'onnxruntime-common';

/**
 * The part of an onnxruntime JavaScript module polyinfer uses. onnxruntime-node and onnxruntime-web both re-export
 * onnxruntime-common's API, so one type serves both.
 */
export type OrtRuntime = Pick<typeof OrtCommon, 'Tensor' | 'InferenceSession'>;

export type OrtInferenceSession = OrtCommon.InferenceSession;
export type OrtSessionCreateOptions = OrtCommon.InferenceSession.SessionOptions;
export type OrtTensor = OrtCommon.Tensor;
