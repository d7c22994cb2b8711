import type * as tf from '@tensorflow/tfjs-core';
import type { AttributeValue, OnnxNode } from '../onnx/onnx-graph.js';
import type { Value } from './value.js';

export interface OpContext {
  node: OnnxNode;
  opset: number;
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
