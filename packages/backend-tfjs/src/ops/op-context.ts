import type * as tf from '@tensorflow/tfjs-core';
import type { AttributeValue, ConstTensor, OnnxNode } from '../onnx/onnx-graph.js';
import type { Value } from './value.js';

export interface OpContext {
  node: OnnxNode;
  opset: number;
  /** The ONNX element type of each value the load-time inference knows (int8 stays int8 though tfjs holds it as int32). */
  dtypeOf(name: string | undefined): string | undefined;
  /** Inputs in order; an empty name (an omitted optional input) is undefined. */
  inputs: (Value | undefined)[];
  /** Whether input i is known at load time (initializer or Constant): weights can then be prepared once. */
  isConstant(i: number): boolean;
  /** A tensor derived from constants, made once per session and kept until it is disposed. */
  prepared(key: string, make: () => tf.Tensor): tf.Tensor;
  /** The layout pass (planChannelsLast) keeps input 0 channels-last (NHWC): convs and pools read it as it is. */
  channelsLastInput?: boolean;
  /** …and wants output 0 channels-last: convs and pools leave it so. */
  channelsLastOutput?: boolean;
}

/** One ONNX op (or family member): values in, values out. Runs inside tf.tidy, so intermediates are freed. */
export type OpKernel = (ctx: OpContext) => Value[];

/** The attribute (or input, or dtype) of a node whose value a kernel does not implement, with that value. */
export interface UnsupportedForm {
  attribute: string;
  value: string | number;
}

/** What a form check sees of the model at load: the node, the opset, constants and the inferred dtypes. */
export interface LoadView {
  node: OnnxNode;
  opset: number;
  constants: ReadonlyMap<string, ConstTensor>;
  dtypeOf(name: string | undefined): string | undefined;
}

/**
 * An op's row in the importer's table: its kernel, the ai.onnx opsets whose semantics it implements, and the forms it
 * refuses at load (a node in such a form is listed in UNSUPPORTED_OP, never left to fail or go wrong at run time).
 */
export interface OpSpec {
  kernel: OpKernel;
  /** First and last opset implemented (inclusive); the default is every opset. */
  opsets?: readonly [number, number?];
  refuse?: (view: LoadView) => UnsupportedForm | undefined;
  /** What the kernel implements, in a few words, for the coverage page. */
  note?: string;
  /** The kernel computes on the host, so tfjs-wasm's rank limit does not apply to it. */
  anyRank?: boolean;
}

/** An op file's entries: a bare kernel (every opset, every form) or a full row. */
export type OpEntry = OpKernel | OpSpec;

export function attr(ctx: OpContext, name: string, fallback: number): number;
export function attr(ctx: OpContext, name: string, fallback: string): string;
export function attr(ctx: OpContext, name: string, fallback: number[]): number[];
export function attr(ctx: OpContext, name: string, fallback: AttributeValue): AttributeValue {
  const value = ctx.node.attributes.get(name);
  return value === undefined ? fallback : value;
}

export function input(ctx: OpContext, i: number): Value {
  const value = ctx.inputs[i];
  if (value === undefined) throw new Error(`${ctx.node.opType} "${ctx.node.name}": input ${i} is missing`);
  return value;
}
