import type { Feeds, Session } from '@polyinfer/core';
import type { ModelProto } from './onnx-model.js';
import { decodeModel, encodeModel, graphOf, onnx } from './onnx-model.js';

/** Opens a session on model bytes (any polyinfer backend: calibration only reads outputs). */
export type OpenSession = (model: Uint8Array) => Promise<Session>;

/** What calibration saw of a float tensor over every sample. */
export interface TensorRange {
  min: number;
  max: number;
  rank: number;
}

/**
 * Runs the float model on the calibration samples with the named tensors exposed as outputs, and keeps for each one
 * the mean over samples of its smallest and of its largest value, and its rank. The mean, not the extreme of all
 * samples: one sample's rare outlier would otherwise set the int8 scale of every image and spend its resolution on
 * values that almost never occur (on PP-OCRv4, min/max over the six samples split a headline into three boxes).
 * Samples are run one at a time so that memory stays one run's worth.
 */
export async function calibrate(
  model: ModelProto,
  tensors: readonly string[],
  samples: Iterable<Feeds> | AsyncIterable<Feeds>,
  open: OpenSession,
): Promise<Map<string, TensorRange>> {
  const instrumented = decodeModel(encodeModel(model));
  const graph = graphOf(instrumented);
  const existing = new Set(graph.output.map((o) => o.name));
  for (const name of tensors) {
    if (existing.has(name)) continue;
    graph.output.push(
      onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }),
    );
  }
  const sums = new Map<string, { min: number; max: number; count: number; rank: number }>();
  const session = await open(encodeModel(instrumented));
  try {
    for await (const feeds of samples) {
      const outputs = await session.run(feeds, { outputNames: tensors });
      for (const name of tensors) {
        const tensor = outputs[name];
        if (!tensor) continue;
        const data = tensor.data as Float32Array;
        let min = Infinity;
        let max = -Infinity;
        for (let i = 0; i < data.length; i++) {
          const v = data[i] as number;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        const sum = sums.get(name) ?? { min: 0, max: 0, count: 0, rank: tensor.dims.length };
        sums.set(name, { min: sum.min + min, max: sum.max + max, count: sum.count + 1, rank: tensor.dims.length });
      }
    }
  } finally {
    await session.dispose();
  }
  return new Map(
    [...sums].map(([name, { min, max, count, rank }]) => [name, { min: min / count, max: max / count, rank }]),
  );
}
