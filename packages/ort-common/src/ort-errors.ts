/**
 * onnxruntime messages that mean "this device can't be used here" (a provider library, driver or adapter is
 * missing), as opposed to "this model is bad". Native and web builds word these differently; one list holds both.
 */
const DEVICE_FAILURE =
  /failed to load shared library|failed to load library|failed to get a webgpu adapter|no supported adapters|cuda failure|cudaError|no CUDA-capable device|CUDA driver version|libcudart|libcublas|libcudnn|libnvinfer|backend not found|no available backend|webgpu is not supported|gpu device/i;
/** Words that put the blame on the model even when a device word appears too. */
const MODEL_FAILURE = /protobuf|model/i;

export function isOrtDeviceFailure(message: string): boolean {
  return DEVICE_FAILURE.test(message) && !MODEL_FAILURE.test(message);
}

/** The sentence a person needs from an onnxruntime error, without the source location or the wrapper prefix. */
export function ortErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .replace(/^Can't create a session\. ERROR_CODE: \d+, ERROR_MESSAGE: /, '') // web
      .replace(/^Load model from .*? failed:/, '') // native: the path is in polyinfer's own message already
      // "<file>:<line> <expr> was false. <reason>" or "<file>:<line> <function signature> <reason>"
      .replace(
        /(?:\/onnxruntime_src|\/mnt\/\S+?\/onnxruntime)\/\S+:\d+ (?:[\s\S]*? was false\. |[^(]*\([^)]*\)\S* )/,
        '',
      )
  );
}
