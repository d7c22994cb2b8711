import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataType, TensorInfo } from '@polyinfer/core';
import { ConfigError } from '@polyinfer/core';

/** model_config.proto's DataType for each polyinfer dtype. */
const TRITON_TYPES: Partial<Record<DataType, string>> = {
  bool: 'TYPE_BOOL',
  uint8: 'TYPE_UINT8',
  uint16: 'TYPE_UINT16',
  uint32: 'TYPE_UINT32',
  uint64: 'TYPE_UINT64',
  int8: 'TYPE_INT8',
  int16: 'TYPE_INT16',
  int32: 'TYPE_INT32',
  int64: 'TYPE_INT64',
  float16: 'TYPE_FP16',
  float32: 'TYPE_FP32',
  float64: 'TYPE_FP64',
  bfloat16: 'TYPE_BF16',
  string: 'TYPE_STRING',
};
const dim = (d: number | string): number => (typeof d === 'number' && d >= 0 ? d : -1);

/** Every input and output has a dynamic first dimension: Triton may batch it (max_batch_size > 0, dims without it). */
export function isBatchable(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): boolean {
  return [...inputs, ...outputs].every((t) => t.dims.length > 0 && dim(t.dims[0] as number | string) === -1);
}

/**
 * A Triton `config.pbtxt` (protobuf text format of model_config.proto's ModelConfig) for an ONNX model served by
 * Triton's onnxruntime backend: inputs and outputs from the model's own metadata; `max_batch_size` and
 * `dynamic_batching` when the first dimension is dynamic (then dims leave it out, as Triton requires).
 */
export function tritonConfig(
  name: string,
  inputs: readonly TensorInfo[],
  outputs: readonly TensorInfo[],
  maxBatchSize: number,
): string {
  const batch = maxBatchSize > 0 && isBatchable(inputs, outputs);
  const tensor = (t: TensorInfo): string => {
    const dims = (batch ? t.dims.slice(1) : t.dims).map(dim);
    return [
      '  {',
      `    name: ${JSON.stringify(t.name)}`,
      `    data_type: ${TRITON_TYPES[t.dtype]}`,
      `    dims: [ ${dims.join(', ')} ]`,
      '  }',
    ].join('\n');
  };
  for (const t of [...inputs, ...outputs]) {
    if (!(t.dtype in TRITON_TYPES))
      throw new ConfigError(`tensor "${t.name}" has dtype ${t.dtype}, which has no Triton data type here`, {
        tensor: t.name,
      });
  }
  return [
    `name: ${JSON.stringify(name)}`,
    'backend: "onnxruntime"',
    `max_batch_size: ${batch ? maxBatchSize : 0}`,
    `input [\n${inputs.map(tensor).join(',\n')}\n]`,
    `output [\n${outputs.map(tensor).join(',\n')}\n]`,
    ...(batch ? ['dynamic_batching { }'] : []),
    '',
  ].join('\n');
}

/** Writes `<dir>/<name>/config.pbtxt` and `<dir>/<name>/1/model.onnx` (the same file, copied). */
export async function writeTritonModel(
  dir: string,
  name: string,
  modelPath: string,
  metadata: { inputs: readonly TensorInfo[]; outputs: readonly TensorInfo[] },
  maxBatchSize: number,
): Promise<{ config: string; model: string }> {
  if (!/^[\w.-]+$/.test(name))
    throw new ConfigError(`a Triton model name is letters, digits, ".", "_" and "-"; got "${name}"`, { name });
  const root = join(dir, name);
  await mkdir(join(root, '1'), { recursive: true });
  const config = join(root, 'config.pbtxt');
  const model = join(root, '1', 'model.onnx');
  await writeFile(config, tritonConfig(name, metadata.inputs, metadata.outputs, maxBatchSize));
  await copyFile(modelPath, model);
  return { config, model };
}
