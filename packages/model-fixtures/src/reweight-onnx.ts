import onnxProto from 'onnx-proto';
import { seededRandom } from '@polyinfer/core/testing';

const { onnx } = onnxProto;

/** How much smaller than He-uniform the classifier head's weights are drawn. */
const HEAD_GAIN = 0.25;

function int64Values(tensor: onnxProto.onnx.ITensorProto): number[] {
  if (tensor.int64Data && tensor.int64Data.length > 0) return tensor.int64Data.map((v) => Number(v.toString()));
  const raw = tensor.rawData as Uint8Array;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}

/**
 * The onnx-light CNNs carry every weight as a ConstantOfShape (one value everywhere), so every backend produces the
 * same uniform output and a parity check proves nothing. This replaces each ConstantOfShape whose shape is an
 * initializer with a Constant of seeded uniform values, scaled by fan-in (He-style) so activations neither vanish
 * nor explode through 20–50 layers. The graph, shapes and cost are unchanged.
 */
export function reweightConstantOfShape(model: Uint8Array, seed: number): { bytes: Uint8Array; replaced: number } {
  const proto = onnx.ModelProto.decode(model);
  const graph = proto.graph as onnxProto.onnx.GraphProto;
  const initializers = new Map(graph.initializer.map((t) => [t.name, t]));
  const random = seededRandom(seed);
  // BatchNormalization's scale, bias, mean and variance need their own ranges (a negative variance is NaN).
  const bnRole = new Map<string, number>();
  // The last BatchNormalization of a residual branch (its output goes into a Sum/Add) gets a small scale, as in
  // "zero-init residual" training: otherwise every block adds its variance to the trunk's, and 16 blocks later
  // ResNet50 and ShuffleNet answer one class with probability 1.0 — a one-hot output no parity check can read.
  const summed = new Set(
    graph.node.filter((n) => n.opType === 'Sum' || n.opType === 'Add').flatMap((n) => n.input ?? []),
  );
  const residualScale = new Set<string>();
  for (const node of graph.node) {
    if (node.opType !== 'BatchNormalization') continue;
    (node.input ?? []).forEach((name, index) => index > 0 && bnRole.set(name, index));
    if ((node.output ?? []).some((o) => summed.has(o))) residualScale.add((node.input ?? [])[1] as string);
  }
  // The classifier head (the Gemm whose output reaches the Softmax) starts small, as classifier heads usually do:
  // logits stay within a few units, so the probabilities keep a spread a parity check can compare.
  const head = new Set<string>();
  const producers = new Map(graph.node.flatMap((n) => (n.output ?? []).map((o) => [o, n] as const)));
  for (const softmax of graph.node.filter((n) => n.opType === 'Softmax')) {
    let node = producers.get((softmax.input ?? [])[0] as string);
    while (node && (node.opType === 'Reshape' || node.opType === 'Flatten' || node.opType === 'Dropout'))
      node = producers.get((node.input ?? [])[0] as string);
    if (node?.opType === 'Gemm') head.add((node.input ?? [])[1] as string);
  }
  let replaced = 0;
  graph.node = graph.node.map((node) => {
    const shapeTensor =
      node.opType === 'ConstantOfShape' ? initializers.get((node.input ?? [])[0] as string) : undefined;
    if (!shapeTensor) return node;
    const dims = int64Values(shapeTensor);
    const size = dims.reduce((a, b) => a * b, 1);
    // Conv [out, in, kh, kw] and Gemm [out, in] weights: fan-in is everything after the first axis; biases: small.
    const fanIn = dims.length > 1 ? size / (dims[0] as number) : 0;
    const scale = fanIn > 0 ? Math.sqrt(6 / fanIn) : 0.05;
    const values = new Float32Array(size);
    const output = (node.output ?? [])[0] as string;
    const role = bnRole.get(output);
    const draw = residualScale.has(output)
      ? () => 0.1 + (random() * 2 - 1) * 0.02 // residual branch's last scale
      : role === 1
        ? () => 1 + (random() * 2 - 1) * 0.1 // scale
        : role === 4
          ? () => 0.5 + random() // variance > 0
          : role !== undefined
            ? () => (random() * 2 - 1) * 0.1 // bias, mean
            : head.has(output)
              ? () => (random() * 2 - 1) * scale * HEAD_GAIN
              : () => (random() * 2 - 1) * scale;
    for (let i = 0; i < size; i++) values[i] = draw();
    replaced++;
    return onnx.NodeProto.create({
      name: node.name || `reweighted_${replaced}`,
      opType: 'Constant',
      output: node.output,
      attribute: [
        onnx.AttributeProto.create({
          name: 'value',
          type: onnx.AttributeProto.AttributeType.TENSOR,
          t: onnx.TensorProto.create({
            dims,
            dataType: onnx.TensorProto.DataType.FLOAT,
            rawData: new Uint8Array(values.buffer),
          }),
        }),
      ],
    });
  });
  return { bytes: onnx.ModelProto.encode(proto).finish(), replaced };
}

/** Reads an ONNX TensorProto file (the onnx-light expected outputs) as float32. */
export function readTensorProto(bytes: Uint8Array): { dims: number[]; data: Float32Array } {
  const t = onnx.TensorProto.decode(bytes);
  const dims = t.dims.map((d) => Number(d.toString()));
  if (t.rawData && t.rawData.length > 0) {
    const copy = new Uint8Array(t.rawData);
    return { dims, data: new Float32Array(copy.buffer) };
  }
  return { dims, data: Float32Array.from(t.floatData) };
}
