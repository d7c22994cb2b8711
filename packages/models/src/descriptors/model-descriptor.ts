import type { TensorInfo } from '@polyinfer/core';
import type { NormalizeOptions } from '@polyinfer/preprocess/portable';
import type { ModelFile } from '../resolvers/model-file.js';

export type ModelTask = 'text-detection' | 'text-recognition' | 'text-angle' | 'classification';

export interface ModelLicense {
  /** Licence of the weights. */
  weights: string;
  /** Licence of the package or site they are distributed in. */
  distribution: string;
  attribution: string;
}

/** Everything needed to run a model without reading its code: files, tensors, preprocessing, decoding, licence. */
export interface ModelDescriptor {
  id: string;
  title: string;
  task: ModelTask;
  model: ModelFile;
  /** Other files the decoder needs (e.g. a dictionary). */
  assets?: Record<string, ModelFile>;
  opset: number;
  inputs: readonly TensorInfo[];
  outputs: readonly TensorInfo[];
  preprocessing: NormalizeOptions & { height?: number; width?: number; limitSideLen?: number; multiple?: number };
  decoder: { kind: 'db' | 'ctc' | 'angle' | 'top-k'; labels?: readonly string[] };
  license: ModelLicense;
}
