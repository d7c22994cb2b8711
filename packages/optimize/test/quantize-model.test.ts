import { describe, expect, it } from 'vitest';
import type { Feeds } from '@polyinfer/core';
import { buildOnnxModel, isPolyinferError, Tensor } from '@polyinfer/core';
import { seededUniformTensor } from '@polyinfer/core/testing';
import { decodeModel, graphOf, onnx, onnxOpset } from '../src/onnx-model.js';
import { calibrate, quantizeModel, upgradeOpset } from '../src/index.js';
import { lcnetBlock } from './lcnet-block.js';
import { openOnOrt, outputsOf } from './run-on-ort.js';

const open = openOnOrt;

const samples = (n: number, seed: number): Feeds[] =>
  Array.from({ length: n }, (_, i) => ({ x: seededUniformTensor([1, 3, 16, 16], seed + i) }));

describe('calibrate', () => {
  it("keeps the mean over samples of each tensor's smallest and largest value: one sample's outlier does not set the range", async () => {
    const model = decodeModel(
      buildOnnxModel({
        nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
        inputs: [{ name: 'x', dtype: 'float32', dims: [4] }],
        outputs: [{ name: 'y', dtype: 'float32', dims: [4] }],
      }),
    );
    const feeds = [
      [-1, 0, 1, 2],
      [-3, 0, 2, 4],
      [-2, 0, 0, 60],
    ].map((values) => ({ x: new Tensor('float32', new Float32Array(values), [4]) }));
    const ranges = await calibrate(model, ['x', 'y'], feeds, open);
    expect(ranges.get('x')).toEqual({ min: -2, max: 22, rank: 1 });
    expect(ranges.get('y')).toEqual({ min: 0, max: 22, rank: 1 });
  });
});

describe('quantizeModel', () => {
  it('writes int8 Conv and MatMul in QDQ form at opset 14 (hard-swish as one op), within a few percent of the float model on unseen inputs', async () => {
    const original = lcnetBlock();
    const { model, report } = await quantizeModel(original, { samples: samples(8, 100), open });
    expect(report.opsetBefore).toBe(9);
    expect(report.opsetAfter).toBe(14);
    expect(report.quantized.map((q) => q.opType).sort()).toEqual(['Conv', 'Conv', 'MatMul']);
    // The depthwise conv's output is a graph output: kept in float, and the report says so.
    expect(report.skipped).toEqual([
      expect.objectContaining({ opType: 'Conv', reason: 'its output is a graph output (kept exact)' }),
    ]);
    const graph = graphOf(decodeModel(model));
    const int8Weights = graph.initializer.filter(
      (t) => t.dataType === onnx.TensorProto.DataType.INT8 && (t.dims ?? []).length > 1,
    );
    expect(int8Weights).toHaveLength(3);
    expect(graph.node.filter((n) => n.opType === 'QuantizeLinear').length).toBeGreaterThan(0);
    expect(graph.node.filter((n) => n.opType === 'HardSwish')).toHaveLength(2);
    for (let seed = 500; seed < 504; seed++) {
      const feeds = { x: seededUniformTensor([1, 3, 16, 16], seed) };
      const [f, q] = [await outputsOf(original, feeds), await outputsOf(model, feeds)];
      const a = f.c5!.data as Float32Array;
      const b = q.c5!.data as Float32Array;
      const range = Math.max(...a) - Math.min(...a);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      // 8 bits over the range, through three quantised layers: a few steps of error, not more.
      expect(worst / range, `seed ${seed}`).toBeLessThan(0.05);
      // And it is not the float model: quantisation error is there to see.
      expect(worst).toBeGreaterThan(0);
    }
  });

  it('says which node it cannot upgrade: Softmax over a non-last axis changed meaning at opset 13', async () => {
    const model = decodeModel(lcnetBlock());
    const softmax = graphOf(model).node.find((n) => n.opType === 'Softmax')!;
    const error = (() => {
      try {
        upgradeOpset(model, new Map([[softmax.input![0]!, { rank: 3 }]]));
      } catch (e) {
        return e;
      }
    })();
    expect(isPolyinferError(error, 'QUANTIZATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/Softmax node .* axis 1 of a rank-3 input/);
  });

  it('upgrades Clip, Slice and Squeeze attributes into inputs without changing the outputs', async () => {
    const original = lcnetBlock();
    const model = decodeModel(original);
    const softmax = graphOf(model).node.find((n) => n.opType === 'Softmax')!;
    upgradeOpset(model, new Map([[softmax.input![0]!, { rank: 2 }]]));
    expect(onnxOpset(model)).toBe(13);
    const upgraded = onnx.ModelProto.encode(model).finish();
    const feeds = { x: seededUniformTensor([1, 3, 16, 16], 9) };
    const [a, b] = [await outputsOf(original, feeds), await outputsOf(upgraded, feeds)];
    expect([...(b.probs!.data as Float32Array)]).toEqual([...(a.probs!.data as Float32Array)]);
  });
});
