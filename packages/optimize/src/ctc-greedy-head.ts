import type { AttributeProto, GraphProto, ValueInfoProto } from './onnx-model.js';
import { decodeModel, encodeModel, graphOf, int64Tensor, intAttribute, node, onnx, onnxOpset } from './onnx-model.js';

export interface CtcGreedyHeadOptions {
  /** Name of the head's output, [N, T, 3]: per step the best class, its probability, the space class' probability. */
  outputName: string;
  /** The class whose probability the third column carries (PP-OCR: the space, the last class). */
  spaceClass: number;
}

function intsAttribute(name: string, values: number[]): AttributeProto {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
}

/**
 * Appends greedy CTC's per-step reduction to a recogniser whose one output is [N, T, C] class probabilities, and makes
 * it the only output: per step the argmax class (as a float, exact below 2^24 classes), its probability and the space
 * class' probability. What a runtime hands back shrinks from C to 3 values per step (PP-OCR: 6,625 → 3, 3 MB → 1.3 kB
 * for a 900-pixel line), which is what read-back, the JS argmax and, in browsers, page-faulting fresh buffers cost.
 * Exact: ArgMax picks the first maximum as the decoder's scan does, and the probabilities are the ones it reads.
 */
export function appendCtcGreedyHeadToGraph(graph: GraphProto, opset: number, options: CtcGreedyHeadOptions): void {
  if (graph.output.length !== 1)
    throw new RangeError(`a CTC head needs a model with one output, this one has ${graph.output.length}`);
  const probs = graph.output[0] as ValueInfoProto;
  const name = probs.name as string;
  if (name === options.outputName) throw new RangeError(`the model's output is already named "${name}"`);
  const dims = probs.type?.tensorType?.shape?.dim ?? [];
  if (dims.length !== 3)
    throw new RangeError(`a CTC head needs an [N, T, C] output, "${name}" has rank ${dims.length}`);
  const classDim = dims[2]?.dimValue;
  const classes = classDim == null ? undefined : Number(classDim.toString());
  if (
    !Number.isInteger(options.spaceClass) ||
    options.spaceClass < 0 ||
    (classes !== undefined && options.spaceClass >= classes)
  )
    throw new RangeError(`space class ${options.spaceClass} is outside the model's ${classes ?? '?'} classes`);
  const output = options.outputName;
  const at = (suffix: string): string => `${output}/${suffix}`;
  graph.initializer.push(int64Tensor(at('space_index'), [options.spaceClass]));
  // ReduceMax takes its axes as an attribute before opset 18 and as an input from 18.
  const reduceMax =
    opset >= 18
      ? node('ReduceMax', [name, at('axes')], [at('max')], at('max'))
      : node('ReduceMax', [name], [at('max')], at('max'), [intsAttribute('axes', [2])]);
  if (opset >= 18) graph.initializer.push(int64Tensor(at('axes'), [2]));
  graph.node.push(
    node('ArgMax', [name], [at('argmax')], at('argmax'), [intAttribute('axis', 2), intAttribute('keepdims', 1)]),
    node('Cast', [at('argmax')], [at('class')], at('class'), [intAttribute('to', onnx.TensorProto.DataType.FLOAT)]),
    reduceMax,
    node('Gather', [name, at('space_index')], [at('space')], at('space'), [intAttribute('axis', 2)]),
    node('Concat', [at('class'), at('max'), at('space')], [output], output, [intAttribute('axis', 2)]),
  );
  graph.output = [
    onnx.ValueInfoProto.create({
      name: output,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: [dims[0] ?? {}, dims[1] ?? {}, { dimValue: 3 }] },
        },
      },
    }),
  ];
}

/** appendCtcGreedyHeadToGraph on encoded model bytes. */
export function appendCtcGreedyHead(bytes: Uint8Array, options: CtcGreedyHeadOptions): Uint8Array {
  const model = decodeModel(bytes);
  appendCtcGreedyHeadToGraph(graphOf(model), onnxOpset(model), options);
  return encodeModel(model);
}
