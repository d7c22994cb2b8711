import type { ModelSpec, NodeSpec, TensorSpec } from '@polyinfer/core';
import { buildOnnxModel } from '@polyinfer/core';

/** A box a test expects back: input pixels (x1, y1, x2, y2), its class and score. */
export interface PlantedBox {
  box: readonly [number, number, number, number];
  classId: number;
  score: number;
}

export interface YoloBoxFinderSpec {
  format: 'yolov8' | 'yolov5' | 'end2end';
  classes: number;
  /** Input width and height (default 640 × 640). */
  width?: number;
  height?: number;
  /** The class and score of the box the model finds in the image. */
  found: { classId: number; score: number };
  /** Boxes the model always outputs besides the one it finds (fixed, in input pixels). */
  planted?: readonly PlantedBox[];
  /**
   * Anchors in all (default 100): the rest after the found and planted boxes score 0, as a real model's background
   * anchors nearly do — and the count keeps the shape as unambiguous as a real one's (8400 anchors vs 84 channels).
   */
  anchors?: number;
  /** Leave the input's height and width symbolic ("H", "W"). */
  dynamicSize?: boolean;
}

/**
 * A YOLO-layout ONNX model that really looks at its input: it finds the red region of the letterboxed image (red
 * channel above 0.7, green below 0.3 — so BGR input, or the wrong scaling, finds nothing) and reports its bounding
 * box as its first detection, in input pixels, in the output layout asked for; the planted boxes follow. Tests of
 * letterboxing, layouts and NMS use it; no trained weights are needed.
 */
export function buildYoloBoxFinder(spec: YoloBoxFinderSpec): Uint8Array {
  const width = spec.width ?? 640;
  const height = spec.height ?? 640;
  const background: PlantedBox = { box: [0, 0, 1, 1], classId: 0, score: 0 };
  const given = spec.planted ?? [];
  const anchors = Math.max(spec.anchors ?? 100, 1 + given.length);
  const planted = [...given, ...Array.from({ length: anchors - 1 - given.length }, () => background)];
  const f32 = (name: string, dims: readonly number[], values: readonly number[]): TensorSpec & { name: string } => ({
    name,
    dtype: 'float32',
    dims,
    data: Float32Array.from(values),
  });
  const i64 = (name: string, dims: readonly number[], values: readonly number[]): TensorSpec & { name: string } => ({
    name,
    dtype: 'int64',
    dims,
    data: BigInt64Array.from(values.map(BigInt)),
  });
  const ramp = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const initializers = [
    i64('red_index', [], [0]),
    i64('green_index', [], [1]),
    f32('bright', [], [0.7]),
    f32('dark', [], [0.3]),
    f32('one', [], [1]),
    f32('half', [], [0.5]),
    f32('far', [], [1e6]),
    f32('ramp_x', [1, width], ramp(width)),
    f32('ramp_y', [1, height], ramp(height)),
  ];
  const nodes: NodeSpec[] = [
    { op: 'Gather', inputs: ['images', 'red_index'], outputs: ['red'], attributes: { axis: 1 } },
    { op: 'Gather', inputs: ['images', 'green_index'], outputs: ['green'], attributes: { axis: 1 } },
    { op: 'Greater', inputs: ['red', 'bright'], outputs: ['is_red'] },
    { op: 'Less', inputs: ['green', 'dark'], outputs: ['no_green'] },
    { op: 'And', inputs: ['is_red', 'no_green'], outputs: ['hit'] },
    { op: 'Cast', inputs: ['hit'], outputs: ['mask'], attributes: { to: 1 } },
  ];
  // First and one-past-last index of the mask's columns (axis 2 of [1, H, W]) and rows (axis 1).
  for (const [axis, name, rampName] of [
    [1, 'x', 'ramp_x'],
    [2, 'y', 'ramp_y'],
  ] as const) {
    const line = `${name}_line`;
    nodes.push(
      { op: 'ReduceMax', inputs: ['mask'], outputs: [line], attributes: { axes: [axis], keepdims: 0 } },
      { op: 'Mul', inputs: [line, rampName], outputs: [`${name}_at`] },
      { op: 'ReduceMax', inputs: [`${name}_at`], outputs: [`${name}_last`], attributes: { axes: [1], keepdims: 1 } },
      { op: 'Add', inputs: [`${name}_last`, 'one'], outputs: [`${name}2`] },
      { op: 'Sub', inputs: ['one', line], outputs: [`${name}_off`] },
      { op: 'Mul', inputs: [`${name}_off`, 'far'], outputs: [`${name}_away`] },
      { op: 'Add', inputs: [`${name}_at`, `${name}_away`], outputs: [`${name}_pushed`] },
      { op: 'ReduceMin', inputs: [`${name}_pushed`], outputs: [`${name}1`], attributes: { axes: [1], keepdims: 1 } },
      { op: 'Sub', inputs: [`${name}2`, `${name}1`], outputs: [`${name}_size`] },
      { op: 'Add', inputs: [`${name}1`, `${name}2`], outputs: [`${name}_sum`] },
      { op: 'Mul', inputs: [`${name}_sum`, 'half'], outputs: [`${name}_centre`] },
    );
  }
  const classRow = (classId: number, score: number): number[] =>
    Array.from({ length: spec.classes }, (_, c) => (c === classId ? score : score * 0.1));
  const centred = (b: PlantedBox['box']): number[] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[2] - b[0], b[3] - b[1]];
  let columns: number;
  if (spec.format === 'yolov8') {
    // Channels first: [4 + C, anchors]; the found box is column 0.
    columns = 4 + spec.classes;
    const rest = planted.map((p) => [...centred(p.box), ...classRow(p.classId, p.score)]);
    const transposed = Array.from({ length: columns }, (_, k) => rest.map((row) => row[k] as number)).flat();
    initializers.push(
      f32('found_scores', [spec.classes, 1], classRow(spec.found.classId, spec.found.score)),
      f32('planted', [columns, planted.length], transposed),
    );
    nodes.push(
      {
        op: 'Concat',
        inputs: ['x_centre', 'y_centre', 'x_size', 'y_size', 'found_scores'],
        outputs: ['found_column'],
        attributes: { axis: 0 },
      },
      { op: 'Concat', inputs: ['found_column', 'planted'], outputs: ['table'], attributes: { axis: 1 } },
    );
  } else {
    const tail = (p: { classId: number; score: number }): number[] =>
      spec.format === 'yolov5' ? [p.score, ...classRow(p.classId, 1)] : [p.score, p.classId];
    columns = spec.format === 'yolov5' ? 5 + spec.classes : 6;
    const rest = planted.map((p) => [...(spec.format === 'yolov5' ? centred(p.box) : [...p.box]), ...tail(p)]);
    const corners = spec.format === 'yolov5' ? ['x_centre', 'y_centre', 'x_size', 'y_size'] : ['x1', 'y1', 'x2', 'y2'];
    initializers.push(
      f32('found_tail', [1, columns - 4], tail(spec.found)),
      f32('planted', [planted.length, columns], rest.flat()),
    );
    nodes.push(
      { op: 'Concat', inputs: [...corners, 'found_tail'], outputs: ['found_row'], attributes: { axis: 1 } },
      { op: 'Concat', inputs: ['found_row', 'planted'], outputs: ['table'], attributes: { axis: 0 } },
    );
  }
  const outputDims = spec.format === 'yolov8' ? [1, columns, anchors] : [1, anchors, columns];
  initializers.push(i64('output_shape', [3], outputDims));
  nodes.push({ op: 'Reshape', inputs: ['table', 'output_shape'], outputs: ['output0'] });
  const model: ModelSpec = {
    opset: 13,
    inputs: [
      {
        name: 'images',
        dtype: 'float32',
        dims: [1, 3, spec.dynamicSize ? 'H' : height, spec.dynamicSize ? 'W' : width],
      },
    ],
    outputs: [{ name: 'output0', dtype: 'float32', dims: outputDims }],
    nodes,
    initializers,
  };
  return buildOnnxModel(model);
}
