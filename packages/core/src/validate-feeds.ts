import type { Feeds } from './tensor.js';
import { isTensor } from './tensor.js';
import type { TensorInfo } from './session.js';
import {
  DtypeMismatchError,
  InputNameError,
  InvalidTensorError,
  MissingInputError,
  ShapeMismatchError,
} from './errors.js';

function isFixedDim(dim: number | string): dim is number {
  return typeof dim === 'number' && dim >= 0;
}

/**
 * Checks feeds against a model's inputs: no unknown names, none missing, dtype equal, rank equal, fixed dims equal,
 * and a symbolic dim bound to one value across all inputs (two inputs declared [N, …] must agree on N).
 */
export function validateFeeds(inputs: readonly TensorInfo[], feeds: Feeds): void {
  const names = inputs.map((i) => i.name);
  const given = Object.keys(feeds);
  for (const name of given) {
    if (!names.includes(name)) throw new InputNameError(name, names);
  }
  const symbols = new Map<string, number>();
  for (const info of inputs) {
    const tensor = feeds[info.name];
    if (tensor === undefined) throw new MissingInputError(info.name, given);
    if (!isTensor(tensor)) {
      throw new InvalidTensorError(`Input "${info.name}" is not a Tensor`, { input: info.name });
    }
    if (tensor.dtype !== info.dtype) throw new DtypeMismatchError(info.name, info.dtype, tensor.dtype);
    if (tensor.dims.length !== info.dims.length) throw new ShapeMismatchError(info.name, info.dims, tensor.dims);
    info.dims.forEach((dim, axis) => {
      const got = tensor.dims[axis] as number;
      if (isFixedDim(dim)) {
        if (dim !== got) throw new ShapeMismatchError(info.name, info.dims, tensor.dims);
      } else if (typeof dim === 'string' && dim !== '') {
        const bound = symbols.get(dim);
        if (bound !== undefined && bound !== got) {
          throw new ShapeMismatchError(
            info.name,
            info.dims.map((d) => (d === dim ? `${dim}=${bound}` : d)),
            tensor.dims,
          );
        }
        symbols.set(dim, got);
      }
    });
  }
}
