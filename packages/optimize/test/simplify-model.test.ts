import { describe, expect, it } from 'vitest';
import { buildOnnxModel, Tensor } from '@polyinfer/core';
import { maxAbsDifference, seededUniformTensor } from '@polyinfer/core/testing';
import {
  constantsToInitializers,
  decodeModel,
  encodeModel,
  floatTensor,
  floatValues,
  graphOf,
} from '../src/onnx-model.js';
import { simplifyModel } from '../src/index.js';
import { lcnetBlock } from './lcnet-block.js';
import { outputsOf } from './run-on-ort.js';

const opTypes = (model: Uint8Array): string[] => graphOf(decodeModel(model)).node.map((n) => n.opType as string);

describe('simplifyModel', () => {
  const original = lcnetBlock();
  const feeds = { x: seededUniformTensor([1, 3, 16, 16], 3) };

  it('folds affine maps and the batch norm into the convolutions and fuses hard-swish, outputs equal to float rounding', async () => {
    const { model, report } = simplifyModel(original);
    // Conv1: Mul, Add; Conv2: BatchNormalization, Mul, Add — folded into the conv before them.
    expect(report.foldedIntoConvOutputs).toBe(5);
    expect(report.fusedHardSwish).toBe(2);
    // The Mul/Add after the first hard-swish goes into the 1×1 conv after it.
    expect(report.foldedIntoConvInputs).toBe(1);
    expect(report.nodesAfter).toBeLessThan(report.nodesBefore);
    const ops = opTypes(model);
    expect(ops).not.toContain('BatchNormalization');
    expect(ops).not.toContain('Clip');
    // The shift before the padded depthwise conv stays: folding it would change the border.
    expect(ops.filter((o) => o === 'Add')).toHaveLength(1);
    const [before, after] = [await outputsOf(original, feeds), await outputsOf(model, feeds)];
    for (const name of ['probs', 'c5']) {
      const range =
        Math.max(...(before[name]!.data as Float32Array)) - Math.min(...(before[name]!.data as Float32Array));
      expect(range, `${name} carries signal`).toBeGreaterThan(0.05);
      expect(
        maxAbsDifference(before[name]!.data as Float32Array, after[name]!.data as Float32Array),
        name,
      ).toBeLessThan(1e-5);
    }
  });

  it('the comparison catches a wrong fold: a shift folded into a padded convolution changes the border', async () => {
    // Do by hand what foldConvInputs refuses: move the shift t4 (0.5) into the depthwise conv's bias as Σw·t.
    const model = decodeModel(original);
    const graph = graphOf(model);
    constantsToInitializers(graph);
    const add = graph.node.find((n) => n.output?.[0] === 'a4')!;
    const conv = graph.node.find((n) => n.output?.[0] === 'c5')!;
    const w = floatValues(graph.initializer.find((t) => t.name === 'w5')!);
    const bias = Float32Array.from({ length: 8 }, (_, c) => w.slice(c * 9, c * 9 + 9).reduce((s, v) => s + v * 0.5, 0));
    graph.initializer.push(floatTensor('wrong_bias', [8], bias));
    conv.input = [add.input![0]!, 'w5', 'wrong_bias'];
    const wrong = encodeModel(model);
    const [before, after] = [await outputsOf(original, feeds), await outputsOf(wrong, feeds)];
    expect(maxAbsDifference(before.c5!.data as Float32Array, after.c5!.data as Float32Array)).toBeGreaterThan(1e-2);
  });

  it('leaves a model with nothing to fold as it was', async () => {
    const { model, report } = simplifyModel(simplifyModel(original).model);
    expect(report.foldedIntoConvOutputs + report.foldedIntoConvInputs + report.fusedHardSwish).toBe(0);
    expect(report.nodesAfter).toBe(report.nodesBefore);
    expect(
      maxAbsDifference(
        (await outputsOf(model, feeds)).probs!.data as Float32Array,
        (await outputsOf(original, feeds)).probs!.data as Float32Array,
      ),
    ).toBeLessThan(1e-5);
  });

  it('keeps a Constant that answers a graph output directly (as an initializer of that name)', async () => {
    const model = buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: [2] }],
      outputs: [
        { name: 'y', dtype: 'float32', dims: [2] },
        { name: 'k', dtype: 'float32', dims: [2] },
      ],
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['y'] },
        {
          op: 'Constant',
          inputs: [],
          outputs: ['k'],
          attributes: { value: { tensor: { dtype: 'float32', dims: [2], data: Float32Array.from([3, -4]) } } },
        },
      ],
    });
    const simplified = simplifyModel(model).model;
    const out = await outputsOf(simplified, { x: new Tensor('float32', Float32Array.from([1, -1]), [2]) });
    expect([...(out.k!.data as Float32Array)]).toEqual([3, -4]);
  });
});
