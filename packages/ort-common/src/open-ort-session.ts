import type { LoadedModel } from '@polyinfer/core';
import { BackendUnavailableError, DeviceUnavailableError, ModelLoadError } from '@polyinfer/core';
import type { OrtInferenceSession, OrtRuntime, OrtSessionCreateOptions } from './ort-runtime.js';
import { isOrtDeviceFailure, ortErrorMessage } from './ort-errors.js';

/**
 * `InferenceSession.create` with its failures typed: a device failure on a device other than the always-there
 * `cpuDevice` is DEVICE_UNAVAILABLE (the registry falls back from it), anything else MODEL_LOAD_FAILED.
 */
export async function openOrtSession(
  ort: OrtRuntime,
  model: LoadedModel,
  options: OrtSessionCreateOptions,
  where: { backend: string; device: string; cpuDevice: string },
): Promise<OrtInferenceSession> {
  if (model.kind === 'reference') throw new ModelLoadError(model.label, 'onnxruntime loads model bytes or files, not a reference to a model elsewhere');
  try {
    return model.kind === 'path' ? await ort.InferenceSession.create(model.path, options) : await ort.InferenceSession.create(model.bytes, options);
  } catch (error) {
    const message = ortErrorMessage(error);
    if (where.device !== where.cpuDevice && isOrtDeviceFailure(message)) throw new DeviceUnavailableError(where.backend, where.device, message, error);
    throw new ModelLoadError(model.label, message, error);
  }
}

/** Loads an onnxruntime module; a missing or broken install is BACKEND_UNAVAILABLE naming the package. */
export async function loadOrtRuntime<M>(backend: string, packageName: string, load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (error) {
    throw new BackendUnavailableError(backend, `${packageName} could not be loaded: ${ortErrorMessage(error)}`, error);
  }
}
