import * as tf from '@tensorflow/tfjs-core';
import type { UnsupportedOp } from '@polyinfer/core';
import { ModelLoadError, UnsupportedOpError } from '@polyinfer/core';
import type { OnnxGraph } from './onnx/onnx-graph.js';
import type { OpContext } from './ops/op-context.js';
import { OP_TABLE } from './ops/op-table.js';
import { OP_VARIANT_CHECKS } from './ops/op-variants.js';
import { fuseConvActivations } from './onnx/fuse-conv-activation.js';
import type { ChannelsLastPlan } from './onnx/plan-layout.js';
import { planChannelsLast } from './onnx/plan-layout.js';
import type { Value } from './ops/value.js';
import { hostOfConst, isHost, toTensor } from './ops/value.js';

/** What the layout pass decided for one node: its data input and output channels-last, constant inputs permuted. */
interface NodeLayout {
  channelsLastInput: boolean;
  channelsLastOutput: boolean;
  permutedInputs: ReadonlySet<number>;
}

/**
 * An ONNX graph made ready for tfjs: nodes in topological order, float constants uploaded once, int64 constants kept
 * on the host, weights derived from constants (transposed filters, folded batch norms) prepared on first use and
 * kept. Each node's temporaries go when it returns (a tidy per node), each intermediate after its last reader, and
 * what is left with the run's own tidy.
 */
export class OnnxProgram {
  readonly #order: OnnxGraph['nodes'];
  readonly #constants = new Map<string, Value>();
  readonly #constantNames = new Set<string>();
  /** The uploaded weights, by identity: tensors a run never frees, whatever name they travel under. */
  readonly #constantTensors = new Set<Value>();
  readonly #prepared = new Map<string, tf.Tensor>();
  /** The index in #order of the last node that reads each value: after it, the value can go. */
  readonly #lastUse = new Map<string, number>();
  /** Constants as channels-last elementwise nodes read them (padded to rank 4, NCHW → NHWC), made once. */
  readonly #permuted = new Map<string, tf.Tensor>();
  /** Per node in #order, what the layout pass (planChannelsLast) decided: read once per node per run, not looked up. */
  readonly #layout: NodeLayout[];

  constructor(
    readonly graph: OnnxGraph,
    readonly backendName: string,
    source: string,
    options: { channelsLast?: boolean } = {},
  ) {
    const unsupported: UnsupportedOp[] = [];
    for (const n of graph.nodes) {
      const op = { opType: n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType, nodeName: n.name, domain: n.domain, opset: graph.opset };
      if ((n.domain !== '' && n.domain !== 'ai.onnx') || !OP_TABLE.has(n.opType)) unsupported.push(op);
      else {
        // A supported op type in a form its kernel does not implement (Pad edge, cubic Resize…) is refused here too.
        const form = OP_VARIANT_CHECKS.get(n.opType)?.(n, graph.initializers);
        if (form) unsupported.push({ ...op, ...form });
      }
    }
    if (unsupported.length > 0) throw new UnsupportedOpError(backendName, unsupported);
    fuseConvActivations(graph);
    this.#order = topologicalOrder(graph, source);
    const plan: ChannelsLastPlan = options.channelsLast === false ? { values: new Set(), permutedConstants: new Map() } : planChannelsLast(graph, this.#order);
    this.#layout = this.#order.map((node) => ({
      channelsLastInput: plan.values.has(node.inputs[0] ?? ''),
      channelsLastOutput: plan.values.has(node.outputs[0] ?? ''),
      permutedInputs: new Set(plan.permutedConstants.get(node) ?? []),
    }));
    for (const [name, c] of graph.initializers) {
      this.#constants.set(name, c.dtype === 'float32' ? tf.keep(tf.tensor(c.data as Float32Array, c.dims, 'float32')) : hostOfConst(c));
      this.#constantNames.add(name);
    }
    for (const [node, indices] of plan.permutedConstants) {
      for (const i of indices) {
        const name = node.inputs[i] as string;
        if (this.#permuted.has(name)) continue;
        const c = toTensor(this.#constants.get(name) as Value);
        this.#permuted.set(name, tf.keep(tf.tidy(() => tf.transpose(tf.reshape(c, [...Array(4 - c.rank).fill(1), ...c.shape]), [0, 2, 3, 1]))));
      }
    }
    for (const v of [...this.#constants.values(), ...this.#permuted.values()]) this.#constantTensors.add(v);
    // Outputs of Constant nodes are constants too (PP-OCR keeps all its weights that way).
    for (const node of this.#order) if (node.opType === 'Constant') for (const o of node.outputs) this.#constantNames.add(o);
    this.#order.forEach((node, k) => node.inputs.forEach((name) => name && this.#lastUse.set(name, k)));
  }

  /** Runs the graph; returns the requested outputs as tensors the caller disposes (host values are converted). */
  run(feeds: Record<string, Value>, outputNames: readonly string[]): Record<string, Value> {
    return tf.tidy(() => {
      const values = new Map<string, Value>([...this.#constants, ...Object.entries(feeds)]);
      // Values that outlive their last reader: weights, the caller's feeds, the outputs asked for.
      const wanted = new Set(outputNames);
      const kept = (name: string): boolean => this.#constantNames.has(name) || name in feeds || wanted.has(name);
      // How many live names hold each tensor (Identity and friends hand the same tensor on under another name).
      const holders = new Map<tf.Tensor, number>();
      // Tensors this run does not own, whatever name they travel under (Identity of a weight or of a feed).
      const feedTensors = new Set<Value>(Object.values(feeds));
      const borrowed = (v: Value): boolean => this.#constantTensors.has(v) || feedTensors.has(v);
      const hold = (v: Value, by: number): void => {
        if (!isHost(v)) holders.set(v, (holders.get(v) ?? 0) + by);
      };
      this.#order.forEach((node, k) => {
        const layout = this.#layout[k] as NodeLayout;
        const ctx: OpContext = {
          node,
          opset: this.graph.opset,
          inputs: node.inputs.map((name, i) => (name === '' ? undefined : layout.permutedInputs.has(i) ? this.#permuted.get(name) : values.get(name))),
          channelsLastInput: layout.channelsLastInput,
          channelsLastOutput: layout.channelsLastOutput,
          isConstant: (i) => this.#constantNames.has(node.inputs[i] ?? ''),
          prepared: (key, make) => {
            let t = this.#prepared.get(key);
            if (!t) {
              t = tf.keep(tf.tidy(make));
              this.#prepared.set(key, t);
            }
            return t;
          },
        };
        let outputs: Value[];
        try {
          // A tidy per node: the kernel's own temporaries (layout transposes, partial sums) go as soon as it returns.
          outputs = tf.tidy(() => (OP_TABLE.get(node.opType) as (c: OpContext) => Value[])(ctx) as unknown as tf.TensorContainer) as unknown as Value[];
        } catch (error) {
          throw new Error(`${node.opType} "${node.name}": ${(error as Error).message}`, { cause: error });
        }
        node.outputs.forEach((name, i) => {
          const v = outputs[i];
          if (name === '' || v === undefined) return;
          values.set(name, v);
          hold(v, 1);
        });
        // Intermediates whose last reader this was are freed now: peak memory follows the graph's live set.
        for (const name of node.inputs) {
          if (!name || kept(name) || this.#lastUse.get(name) !== k) continue;
          const v = values.get(name);
          values.delete(name);
          if (v === undefined || isHost(v)) continue;
          hold(v, -1);
          if ((holders.get(v) ?? 0) <= 0 && !borrowed(v)) v.dispose();
        }
      });
      const result: Record<string, Value> = {};
      for (const name of outputNames) {
        const v = values.get(name);
        if (v === undefined) throw new Error(`output ${name} was not computed`);
        // A feed or a constant passed straight through (Identity, Dropout) belongs to someone else: hand out a copy.
        result[name] = !isHost(v) && borrowed(v) ? tf.clone(v) : v;
      }
      return result as unknown as tf.TensorContainerObject;
    }) as unknown as Record<string, Value>;
  }

  dispose(): void {
    for (const v of this.#constants.values()) if (!isHost(v)) v.dispose();
    for (const t of [...this.#prepared.values(), ...this.#permuted.values()]) t.dispose();
    this.#permuted.clear();
    this.#constants.clear();
    this.#constantTensors.clear();
    this.#prepared.clear();
  }
}

function topologicalOrder(graph: OnnxGraph, source: string): OnnxGraph['nodes'] {
  const available = new Set<string>([...graph.inputs.map((i) => i.name), ...graph.initializers.keys(), '']);
  const pending = [...graph.nodes];
  const order: OnnxGraph['nodes'] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((n) => n.inputs.every((i) => available.has(i)));
    if (index < 0) {
      const node = pending[0] as OnnxGraph['nodes'][number];
      throw new ModelLoadError(source, `node ${node.name} needs ${node.inputs.filter((i) => !available.has(i)).join(', ')}, which nothing produces`);
    }
    const [node] = pending.splice(index, 1) as [OnnxGraph['nodes'][number]];
    for (const o of node.outputs) available.add(o);
    order.push(node);
  }
  return order;
}
