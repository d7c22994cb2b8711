import { describe, expect, it } from 'vitest';
import type { Feeds, NodeSpec, TensorSpec } from '@polyinfer/core';
import { buildOnnxModel, Tensor } from '@polyinfer/core';
import { maxAbsDifference, seededUniformTensor } from '@polyinfer/core/testing';
import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import { createTfjsBackend, parseOnnxGraph } from '@polyinfer/backend-tfjs';
import { planChannelsLast } from '../src/onnx/plan-layout.js';

type Init = TensorSpec & { name: string };

/** Collects a block's nodes and seeded weights; every helper returns its output's name. */
class Block {
  readonly nodes: NodeSpec[] = [];
  readonly inits: Init[] = [];
  #n = 0;
  #seed = 1;

  weight(dims: number[], scale = 0.3): string {
    const name = `w${this.#n++}`;
    this.inits.push({
      name,
      dtype: 'float32',
      dims,
      data: seededUniformTensor(dims, this.#seed++).data.map((v) => v * scale),
    });
    return name;
  }

  const(dims: number[], data: Float32Array | BigInt64Array): string {
    const name = `c${this.#n++}`;
    this.inits.push({ name, dtype: data instanceof BigInt64Array ? 'int64' : 'float32', dims, data } as Init);
    return name;
  }

  op(op: string, inputs: string[], attributes?: NodeSpec['attributes'], outputs = 1): string {
    const names = Array.from({ length: outputs }, () => `t${this.#n++}`);
    this.nodes.push({ op, inputs, outputs: names, ...(attributes ? { attributes } : {}) });
    return names[0] as string;
  }

  outs(op: string, inputs: string[], count: number, attributes?: NodeSpec['attributes']): string[] {
    const first = this.op(op, inputs, attributes, count);
    return (this.nodes.at(-1) as NodeSpec).outputs.slice(0, count).map((o, i) => (i === 0 ? first : o));
  }
}

const i64 = (...values: number[]) => BigInt64Array.from(values.map(BigInt));

/** MobileNetV3 bottleneck: expand 1×1, HardSwish, depthwise 3×3, squeeze-excite (Relu, HardSigmoid), project, residual. */
function mobilenetV3Block(): { b: Block; input: number[]; out: string } {
  const b = new Block();
  const e = b.op('HardSwish', [b.op('Conv', ['x', b.weight([32, 16, 1, 1]), b.weight([32], 0.1)])]);
  const d = b.op('HardSwish', [
    b.op('Conv', [e, b.weight([32, 1, 3, 3]), b.weight([32], 0.1)], { group: 32, pads: [1, 1, 1, 1] }),
  ]);
  const squeeze = b.op('Relu', [
    b.op('Conv', [b.op('GlobalAveragePool', [d]), b.weight([8, 32, 1, 1]), b.weight([8], 0.1)]),
  ]);
  const excite = b.op('HardSigmoid', [b.op('Conv', [squeeze, b.weight([32, 8, 1, 1]), b.weight([32], 0.1)])], {
    alpha: { f: 1 / 6 },
    beta: { f: 0.5 },
  });
  const project = b.op('Conv', [b.op('Mul', [d, excite]), b.weight([16, 32, 1, 1]), b.weight([16], 0.1)]);
  return { b, input: [1, 16, 12, 12], out: b.op('Add', [project, 'x']) };
}

/**
 * A transformer encoder layer on token ids: Gather on an embedding table, position add, LayerNormalization, Q/K/V
 * MatMuls split into 2 heads (Reshape, Transpose, Split), scaled scores with a Where mask, Softmax, Gelu MLP, residuals.
 */
function transformerEncoder(): { b: Block; out: string } {
  const b = new Block();
  const [seq, dim, heads] = [6, 8, 2];
  const embedded = b.op('Add', [b.op('Gather', [b.weight([20, dim], 1), 'ids']), b.weight([seq, dim], 0.5)]);
  const norm = b.op('LayerNormalization', [embedded, b.weight([dim], 1), b.weight([dim], 0.1)], { axis: -1 });
  const qkv = b.op('MatMul', [norm, b.weight([dim, 3 * dim])]);
  const [q, k, v] = b.outs('Split', [qkv, b.const([3], i64(dim, dim, dim))], 3, { axis: -1 });
  const toHeads = (t: string): string =>
    b.op('Transpose', [b.op('Reshape', [t, b.const([4], i64(0, seq, heads, dim / heads))])], { perm: [0, 2, 1, 3] });
  const scores = b.op('Div', [
    b.op('MatMul', [toHeads(q as string), b.op('Transpose', [toHeads(k as string)], { perm: [0, 1, 3, 2] })]),
    b.const([], Float32Array.of(Math.sqrt(dim / heads))),
  ]);
  // A causal mask: positions after the query are -1e4 before the softmax.
  const causal = Float32Array.from({ length: seq * seq }, (_, i) => (i % seq > Math.floor(i / seq) ? 1 : 0));
  const masked = b.op('Where', [
    b.op('Greater', [b.const([seq, seq], causal), b.const([], Float32Array.of(0.5))]),
    b.const([], Float32Array.of(-1e4)),
    scores,
  ]);
  const attended = b.op('MatMul', [b.op('Softmax', [masked], { axis: -1 }), toHeads(v as string)]);
  const merged = b.op('Reshape', [
    b.op('Transpose', [attended], { perm: [0, 2, 1, 3] }),
    b.const([3], i64(0, seq, dim)),
  ]);
  const residual = b.op('Add', [embedded, b.op('MatMul', [merged, b.weight([dim, dim])])]);
  const hidden = b.op('Gelu', [
    b.op('Add', [
      b.op('MatMul', [
        b.op('LayerNormalization', [residual, b.weight([dim], 1), b.weight([dim], 0.1)], { axis: -1 }),
        b.weight([dim, 16]),
      ]),
      b.weight([16], 0.1),
    ]),
  ]);
  return { b, out: b.op('Add', [residual, b.op('MatMul', [hidden, b.weight([16, dim])])]) };
}

/** A YOLO-style head: Conv to anchors × (5 + classes), Reshape/Transpose, Slice into xy/wh/scores, Sigmoid, Exp, grid offsets, Concat. */
function yoloHead(): { b: Block; input: number[]; out: string } {
  const b = new Block();
  const [anchors, classes, h, w] = [2, 3, 4, 5];
  const raw = b.op('Conv', [
    'x',
    b.weight([anchors * (5 + classes), 8, 1, 1]),
    b.weight([anchors * (5 + classes)], 0.1),
  ]);
  const cells = b.op('Transpose', [b.op('Reshape', [raw, b.const([5], i64(1, anchors, 5 + classes, h, w))])], {
    perm: [0, 1, 3, 4, 2],
  });
  const slice = (from: number, to: number): string =>
    b.op('Slice', [cells, b.const([1], i64(from)), b.const([1], i64(to)), b.const([1], i64(4))]);
  const grid = Float32Array.from({ length: h * w * 2 }, (_, i) =>
    i % 2 === 0 ? Math.floor(i / 2) % w : Math.floor(i / 2 / w),
  );
  const xy = b.op('Mul', [
    b.op('Add', [b.op('Sigmoid', [slice(0, 2)]), b.const([h, w, 2], grid)]),
    b.const([], Float32Array.of(8)),
  ]);
  const wh = b.op('Mul', [b.op('Exp', [slice(2, 4)]), b.const([anchors, 1, 1, 2], Float32Array.of(10, 13, 16, 30))]);
  const scores = b.op('Sigmoid', [slice(4, 5 + classes)]);
  return { b, input: [1, 8, h, w], out: b.op('Concat', [xy, wh, scores], { axis: -1 }) };
}

async function parity(
  model: Uint8Array,
  feeds: Feeds,
  backendOptions: Record<string, unknown> = {},
): Promise<{ diff: number; range: number }> {
  const [tfjs, ort] = await Promise.all([createTfjsBackend(), createOrtNodeBackend()]);
  const [a, b] = await Promise.all([
    tfjs.createSession(model, { device: 'cpu', backendOptions }),
    ort.createSession(model, { device: 'cpu' }),
  ]);
  try {
    const [got, want] = [await a.run(feeds), await b.run(feeds)];
    let diff = 0;
    let range = Infinity;
    // Every output: the first one's range is the signal check, all must match.
    for (const [name, w] of Object.entries(want)) {
      expect([...got[name]!.dims], name).toEqual([...w.dims]);
      const data = w.data as Float32Array;
      diff = Math.max(diff, maxAbsDifference(got[name]!.data as Float32Array, data));
      range = Math.min(
        range,
        data.reduce((m, v) => Math.max(m, v), -Infinity) - data.reduce((m, v) => Math.min(m, v), Infinity),
      );
    }
    return { diff, range };
  } finally {
    await Promise.all([a.dispose(), b.dispose()]);
  }
}

// Whole blocks of the architectures issue 13 names, written with core's ONNX writer and compared with onnxruntime.
describe('tfjs model blocks against onnxruntime-node', () => {
  it('a MobileNetV3 bottleneck (HardSwish, squeeze-excite, residual)', async () => {
    const { b, input, out } = mobilenetV3Block();
    const model = buildOnnxModel({
      opset: 14,
      inputs: [{ name: 'x', dtype: 'float32', dims: input }],
      outputs: [{ name: out, dtype: 'float32', dims: input }],
      nodes: b.nodes,
      initializers: b.inits,
    });
    const { diff, range } = await parity(model, { x: seededUniformTensor(input, 42) });
    expect(range).toBeGreaterThan(0.5);
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it('a transformer encoder layer (embeddings, masked two-head attention, LayerNorm, Gelu)', async () => {
    const { b, out } = transformerEncoder();
    const model = buildOnnxModel({
      opset: 20,
      inputs: [{ name: 'ids', dtype: 'int64', dims: [1, 6] }],
      outputs: [{ name: out, dtype: 'float32', dims: [1, 6, 8] }],
      nodes: b.nodes,
      initializers: b.inits,
    });
    const { diff, range } = await parity(model, { ids: new Tensor('int64', i64(3, 17, 0, 9, 9, 12), [1, 6]) });
    expect(range).toBeGreaterThan(0.5);
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it('convolutions with fused activations: Relu6 (Clip 0..6), LeakyRelu on a depthwise, Sigmoid, Relu after groups and uneven pads', async () => {
    const b = new Block();
    const six = b.const([], Float32Array.of(6));
    const zero = b.const([], Float32Array.of(0));
    const a = b.op('Clip', [
      b.op('Conv', ['x', b.weight([8, 4, 3, 3], 0.5), b.weight([8], 0.2)], { pads: [1, 1, 1, 1] }),
      zero,
      six,
    ]);
    const d = b.op(
      'LeakyRelu',
      [b.op('Conv', [a, b.weight([8, 1, 3, 3], 0.5), b.weight([8], 0.2)], { group: 8, pads: [1, 1, 1, 1] })],
      { alpha: { f: 0.2 } },
    );
    const g = b.op('Relu', [b.op('Conv', [d, b.weight([8, 4, 3, 3], 0.5)], { group: 2, pads: [0, 1, 2, 1] })]);
    const u = b.op('Relu', [
      b.op('Conv', [g, b.weight([8, 1, 3, 3], 0.5)], { group: 8, pads: [1, 0, 1, 2], strides: [2, 1] }),
    ]);
    const out = b.op('Sigmoid', [b.op('Conv', [u, b.weight([4, 8, 1, 1], 3), b.weight([4], 0.2)])]);
    const model = buildOnnxModel({
      opset: 13,
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4, 9, 9] }],
      outputs: [{ name: out, dtype: 'float32', dims: [1, 4, 5, 11] }],
      nodes: b.nodes,
      initializers: b.inits,
    });
    const { diff, range } = await parity(model, { x: seededUniformTensor([1, 4, 9, 9], 44) });
    expect(range).toBeGreaterThan(0.2);
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it('a YOLO-style detection head (Sigmoid, Exp, grid offsets, anchors, Slice, Concat)', async () => {
    const { b, input, out } = yoloHead();
    const model = buildOnnxModel({
      opset: 13,
      inputs: [{ name: 'x', dtype: 'float32', dims: input }],
      outputs: [{ name: out, dtype: 'float32', dims: [1, 2, 4, 5, 8] }],
      nodes: b.nodes,
      initializers: b.inits,
    });
    const { diff, range } = await parity(model, { x: seededUniformTensor(input, 43) });
    expect(range).toBeGreaterThan(0.5);
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it('an FPN-style neck the layout pass keeps channels-last (resizes, per-channel scale, Concat, pools, residual), with a mid-graph output', async () => {
    const b = new Block();
    const stem = b.op('Relu', [
      b.op('Conv', ['x', b.weight([8, 4, 3, 3], 0.5), b.weight([8], 0.1)], { pads: [1, 1, 1, 1], strides: [2, 2] }),
    ]);
    // Linear half-pixel (the gather path) and nearest asymmetric ×2 (tfjs' own kernel) back to the input's size.
    const scales = b.const([4], Float32Array.of(1, 1, 2, 2));
    const linear = b.op('Resize', [stem, '', scales], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
    const nearest = b.op('Resize', [stem, '', scales], {
      mode: 'nearest',
      coordinate_transformation_mode: 'asymmetric',
      nearest_mode: 'floor',
    });
    const side = b.op('Conv', ['x', b.weight([8, 4, 1, 1], 0.5)]);
    const scaled = b.op('Mul', [
      b.op('Add', [linear, side]),
      b.const(
        [8, 1, 1],
        Float32Array.from({ length: 8 }, (_, c) => 0.5 + c / 4),
      ),
    ]);
    const merged = b.op('Concat', [scaled, nearest], { axis: 1 });
    const pooled = b.op('MaxPool', [merged], { kernel_shape: [2, 2], strides: [2, 2] });
    const squeeze = b.op('Sigmoid', [
      b.op('Conv', [b.op('GlobalAveragePool', [pooled]), b.weight([16, 16, 1, 1], 0.5)]),
    ]);
    const out = b.op('Conv', [b.op('Mul', [pooled, squeeze]), b.weight([6, 16, 1, 1], 0.5), b.weight([6], 0.1)]);
    const model = buildOnnxModel({
      opset: 13,
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4, 10, 12] }],
      outputs: [
        { name: out, dtype: 'float32', dims: [1, 6, 5, 6] },
        // A graph output the resizes read: it stays NCHW, and they turn it channels-last as they sample it.
        { name: stem, dtype: 'float32', dims: [1, 8, 5, 6] },
      ],
      nodes: b.nodes,
      initializers: b.inits,
    });
    const graph = parseOnnxGraph(model, 'neck');
    const { values, permutedConstants } = planChannelsLast(graph, graph.nodes);
    // Everything between the convs stays channels-last but the graph outputs (an ONNX caller reads NCHW).
    for (const v of [linear, nearest, side, scaled, merged, pooled, squeeze]) expect(values.has(v), v).toBe(true);
    expect(values.has(out) || values.has(stem)).toBe(false);
    expect([...permutedConstants.values()]).toEqual([[1]]);
    for (const channelsLast of [true, false]) {
      const { diff, range } = await parity(model, { x: seededUniformTensor([1, 4, 10, 12], 45) }, { channelsLast });
      expect(range).toBeGreaterThan(0.2);
      expect(diff, `channelsLast ${channelsLast}`).toBeLessThanOrEqual(1e-4);
    }
  });
});
