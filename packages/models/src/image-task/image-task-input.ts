import type { Session, TensorInfo } from '@polyinfer/core';
import { ConfigError } from '@polyinfer/core';

/** A dim the model fixes (a positive number), or undefined where it is symbolic or unknown. */
export const fixedDim = (d: number | string | undefined): number | undefined =>
  typeof d === 'number' && d > 0 ? d : undefined;

/**
 * The one float32 4-D image input of a one-model image task, with 3 channels on `channelAxis(input)` where the model
 * fixes that dim; any other model is refused at load by name (`what` and `expected` say what the task takes).
 */
export function singleImageInput(
  session: Session,
  what: string,
  expected: string,
  channelAxis: (input: TensorInfo) => number,
): TensorInfo {
  const input = session.inputs[0];
  if (session.inputs.length !== 1 || !input || input.dtype !== 'float32' || input.dims.length !== 4) {
    const got = session.inputs.map((i) => `${i.name}: ${i.dtype} [${i.dims.join(', ')}]`).join(', ');
    throw new ConfigError(`${what} takes one float32 image input, ${expected}; this one takes ${got || 'none'}`, {
      inputs: got,
    });
  }
  const axis = channelAxis(input);
  const channels = fixedDim(input.dims[axis]);
  if (channels !== undefined && channels !== 3) {
    throw new ConfigError(`${what}'s input has 3 channels (RGB) on axis ${axis}; "${input.name}" has ${channels}`, {
      input: input.name,
    });
  }
  return input;
}

/** Where a one-model image task spent one image's time, in milliseconds. */
export interface ImageTaskTimings {
  decode: number;
  preprocess: number;
  inference: number;
  postprocess: number;
  total: number;
}

/** The timings between five marks: start, decoded, preprocessed, inferred, done. */
export function imageTaskTimings([t0, t1, t2, t3, t4]: readonly [
  number,
  number,
  number,
  number,
  number,
]): ImageTaskTimings {
  return { decode: t1 - t0, preprocess: t2 - t1, inference: t3 - t2, postprocess: t4 - t3, total: t4 - t0 };
}
