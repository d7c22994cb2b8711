import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@polyinfer/core';
import { dtypeOfOnnxElementType, onnxElementTypeName } from '@polyinfer/core';
import { readModelSignature } from '@polyinfer/ort-common';
import type { BenchInput, BenchModel } from './model-set.js';
import { readNpy } from './npy-file.js';
import type { InputRange } from './seeded-tensor.js';
import { seededTensor } from './seeded-tensor.js';
import { writeTensorFile } from './tensor-file.js';

/** `name=value` flags into a map, with the flag named in the error for a malformed one. */
function byName(flag: string, entries: readonly string[] = []): Map<string, string> {
  return new Map(
    entries.map((entry) => {
      const at = entry.indexOf('=');
      if (at <= 0) throw new Error(`--${flag} takes name=value, not '${entry}'`);
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

function rangeOf(text: string, name: string): InputRange {
  const m = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)$/.exec(text);
  if (!m || Number(m[1]) > Number(m[2]))
    throw new Error(`--input-range ${name}=${text}: expected lo..hi with lo <= hi, e.g. ${name}=0..30521`);
  return { lo: Number(m[1]), hi: Number(m[2]) };
}

/**
 * A user's model with every input prepared as a file all cells share: the values of `--input name=file.npy` (dtype
 * and shape checked against the model), else seeded values of the input's own dtype, inside `--input-range` when
 * given; dims from `--shape`, the .npy file, or the model's static dims (a dynamic one taken as 1).
 */
export function prepareUserInputs(model: BenchModel, dir: string): BenchModel {
  if (model.kind !== 'tensor' || !model.user) return model;
  const signature = readModelSignature(readFileSync(model.path));
  // A file that is no ONNX model is left to the cells, which report it as the runtime refuses it.
  if (!signature) return model;
  const shapes = byName('shape', model.user.shapes);
  const ranges = byName('input-range', model.user.ranges);
  const npys = byName('input', model.user.npy);
  const names = signature.inputs.map((i) => i.name);
  for (const [flag, map] of [
    ['shape', shapes],
    ['input-range', ranges],
    ['input', npys],
  ] as const) {
    for (const name of map.keys())
      if (!names.includes(name))
        throw new Error(`--${flag} ${name}: ${model.path} has no input "${name}" (its inputs: ${names.join(', ')})`);
  }
  mkdirSync(dir, { recursive: true });
  const inputs: BenchInput[] = signature.inputs.map((input, index) => {
    const dtype = dtypeOfOnnxElementType(input.elementType);
    if (input.kind !== 'tensor' || dtype === undefined)
      throw new Error(
        `input "${input.name}" of ${model.path} is ${input.kind === 'tensor' ? onnxElementTypeName(input.elementType) : `a ${input.kind}`}, which polyinfer's Tensor cannot hold`,
      );
    const shape = shapes.get(input.name)?.split(/[x×,]/).map(Number);
    const npy = npys.get(input.name);
    let tensor: Tensor;
    if (npy !== undefined) {
      tensor = readNpy(npy);
      if (tensor.dtype !== dtype)
        throw new Error(
          `--input ${input.name}=${npy} holds ${tensor.dtype}; the model's input "${input.name}" is ${dtype}`,
        );
      if (shape && shape.join('x') !== tensor.dims.join('x'))
        throw new Error(
          `--input ${input.name}=${npy} has shape [${tensor.dims.join(', ')}], --shape says [${shape.join(', ')}]`,
        );
    } else {
      const dims = shape ?? input.dims.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
      const range = ranges.get(input.name);
      tensor = seededTensor(
        dtype,
        dims,
        model.seed + index,
        range === undefined ? undefined : rangeOf(range, input.name),
      );
    }
    const file = join(dir, `${model.id}-${input.name.replace(/[^\w.-]/g, '_')}.bin`);
    writeTensorFile(file, tensor);
    return { name: input.name, dims: [...tensor.dims], dtype, file };
  });
  return { ...model, inputs };
}
