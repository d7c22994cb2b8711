import type { LoadedModel } from '@polyinfer/core';
import { BackendUnavailableError, DeviceUnavailableError, ModelLoadError } from '@polyinfer/core';
import type { OrtInferenceSession, OrtRuntime, OrtSessionCreateOptions } from './ort-runtime.js';
import { isOrtDeviceFailure, ortErrorMessage } from './ort-errors.js';
import { classifyOrtLoadFailure } from './classify-load-failure.js';
import { readModelSignature } from './model-signature.js';

/** Where a session opens, and what a load-failure message needs. */
export interface OrtOpenContext {
  backend: string;
  device: string;
  /** The device that needs nothing but the runtime: a failure there is never the device's. */
  cpuDevice: string;
  /** The dtypes the binding carries (named in an UNSUPPORTED_DTYPE message). */
  dtypes: readonly string[];
  /** Reads a model the runtime opened by path, when a failure needs its signature. */
  readPath: (path: string) => Promise<Uint8Array>;
}

/**
 * `InferenceSession.create` with its failures typed: a device failure on a device other than the always-there
 * `cpuDevice` is DEVICE_UNAVAILABLE (the registry falls back from it); a model failure is classified (see
 * classifyOrtLoadFailure): UNSUPPORTED_OP, UNSUPPORTED_DTYPE or MODEL_LOAD_FAILED.
 */
export async function openOrtSession(
  ort: OrtRuntime,
  model: LoadedModel,
  options: OrtSessionCreateOptions,
  where: OrtOpenContext,
): Promise<OrtInferenceSession> {
  if (model.kind === 'reference')
    throw new ModelLoadError(
      model.label,
      'onnxruntime loads model bytes or files, not a reference to a model elsewhere',
    );
  try {
    return model.kind === 'path'
      ? await ort.InferenceSession.create(model.path, options)
      : await ort.InferenceSession.create(model.bytes, options);
  } catch (error) {
    const message = ortErrorMessage(error);
    if (where.device !== where.cpuDevice && isOrtDeviceFailure(message))
      throw new DeviceUnavailableError(where.backend, where.device, message, error);
    throw await classifyOrtLoadFailure(message, error, {
      backend: where.backend,
      label: model.label,
      dtypes: where.dtypes,
      signature: async () =>
        readModelSignature(
          model.kind === 'path' ? await where.readPath(model.path).catch(() => new Uint8Array(0)) : model.bytes,
        ),
    });
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
