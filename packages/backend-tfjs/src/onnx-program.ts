import * as tf from '@tensorflow/tfjs-core';
import type { UnsupportedDtype, UnsupportedOp } from '@polyinfer/core';
import { ModelLoadError, UnsupportedDtypeError, UnsupportedOpError } from '@polyinfer/core';
import type { OnnxGraph, OnnxNode } from './onnx/onnx-graph.js';
import { inferDtypes } from './onnx/infer-dtypes.js';
import type { OpContext, OpKernel, OpSpec } from './ops/op-context.js';
import { OP_TABLE } from './ops/op-table.js';
import { TFJS_DTYPES } from './tfjs-dtypes.js';
import { fuseConvActivations } from './onnx/fuse-conv-activation.js';
import type { ChannelsLastPlan } from './onnx/plan-layout.js';
import { planChannelsLast } from './onnx/plan-layout.js';
import type { Value } from './ops/value.js';
import { dimsOf, hostOfConst, isHost, toTensor } from './ops/value.js';

/** tfjs-wasm's highest rank: an elementwise op on a rank-7 tensor fails inside XNNPACK and leaves garbage, silently. */
const WASM_MAX_RANK = 6;
/** Ops that only relabel a tensor's shape (no kernel reads the elements by rank). */
const RANK_FREE_OPS = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Shape', 'Size']);

/** What the layout pass decided for one node: its data input and output channels-last, constant inputs permuted. */
interface NodeLayout {
  channelsLastInput: boolean;
  channelsLastOutput: boolean;
  permutedInputs: ReadonlySet<number>;
  /** Whether its device inputs are held to tfjs-wasm's rank limit (decided once, not looked up per run). */
  rankLimited: boolean;
}

/**
 * An ONNX graph made ready for tfjs: nodes in topological order, every node whose inputs are all constants computed
 * once at load (ConstantOfShape weights, Shape → Gather → Concat chains, Constants), float constants uploaded once,
 * int64 constants kept on the host, weights derived from constants (transposed filters, folded batch norms) prepared on
 * first use and kept. Each node's temporaries go when it returns (a tidy per node), each intermediate after its last
 * reader, and what is left with the run's own tidy.
 */
export class OnnxProgram {
  /** The nodes a run executes, in order: those that depend on a feed. */
  readonly #order: OnnxGraph['nodes'];
  readonly #constants = new Map<string, Value>();
  /** The uploaded weights, by identity: tensors a run never frees, whatever name they travel under. */
  readonly #constantTensors = new Set<Value>();
  readonly #prepared = new Map<string, tf.Tensor>();
  /** The index in #order of the last node that reads each value: after it, the value can go. */
  readonly #lastUse = new Map<string, number>();
  /** Constants as channels-last elementwise nodes read them (padded to rank 4, NCHW → NHWC), made once. */
  readonly #permuted = new Map<string, tf.Tensor>();
  /** Per node in #order, what the layout pass (planChannelsLast) decided: read once per node per run, not looked up. */
  readonly #layout: NodeLayout[];
  /** Every value's ONNX element type, as far as inferDtypes knows it. */
  readonly #dtypes: ReadonlyMap<string, string>;
  /** Every node after fusion, folded or not, in order: what a re-upload folds again. */
  readonly #all: OnnxGraph['nodes'];
  readonly #source: string;
  readonly #plan: ChannelsLastPlan;
  /** The tfjs backend (name and instance) the constants live on. */
  #uploadedTo: { name: string; backend: unknown } = { name: '', backend: undefined };

  constructor(
    readonly graph: OnnxGraph,
    readonly backendName: string,
    source: string,
    options: { channelsLast?: boolean } = {},
  ) {
    const order = topologicalOrder(graph, source);
    this.#dtypes = inferDtypes(graph, order);
    refuseWhatKernelsDoNotRun(graph, order, this.#dtypes, backendName);
    fuseConvActivations(graph);
    const remaining = new Set(graph.nodes);
    this.#all = order.filter((node) => remaining.has(node));
    this.#source = source;
    const folded = this.#upload();
    this.#order = this.#all.filter((node) => !folded.has(node));
    // Values computed at load count as constants too (weights built by ConstantOfShape): their convs plan channels-last.
    const constantDims = (name: string): number[] | undefined => {
      const v = this.#constants.get(name);
      return v === undefined ? undefined : dimsOf(v);
    };
    const plan: ChannelsLastPlan =
      options.channelsLast === false
        ? { values: new Set(), permutedConstants: new Map() }
        : planChannelsLast(graph, this.#order, constantDims);
    this.#plan = plan;
    this.#layout = this.#order.map((node) => ({
      channelsLastInput: plan.values.has(node.inputs[0] ?? ''),
      channelsLastOutput: plan.values.has(node.outputs[0] ?? ''),
      permutedInputs: new Set(plan.permutedConstants.get(node) ?? []),
      rankLimited: !RANK_FREE_OPS.has(node.opType) && OP_TABLE.get(node.opType)?.anyRank !== true,
    }));
    this.#permute();
    this.#order.forEach((node, k) => node.inputs.forEach((name) => name && this.#lastUse.set(name, k)));
  }

  /** Uploads the initializers and computes the constant nodes on the active tfjs backend; returns the nodes folded. */
  #upload(): Set<OnnxNode> {
    for (const [name, c] of this.graph.initializers)
      this.#constants.set(
        name,
        c.dtype === 'float32' ? tf.keep(tf.tensor(c.data as Float32Array, c.dims, 'float32')) : hostOfConst(c),
      );
    this.#uploadedTo = { name: tf.getBackend(), backend: tf.backend() };
    return this.#foldConstants(this.#all, this.#source);
  }

  /** Constants as the layout plan's channels-last nodes read them, and the set of tensors no run may free. */
  #permute(): void {
    for (const [node, indices] of this.#plan.permutedConstants) {
      for (const i of indices) {
        const name = node.inputs[i] as string;
        if (this.#permuted.has(name)) continue;
        const c = toTensor(this.#constants.get(name) as Value);
        this.#permuted.set(
          name,
          tf.keep(tf.tidy(() => tf.transpose(tf.reshape(c, [...Array(4 - c.rank).fill(1), ...c.shape]), [0, 2, 3, 1]))),
        );
      }
    }
    for (const v of [...this.#constants.values(), ...this.#permuted.values()]) this.#constantTensors.add(v);
  }

  /**
   * After the tfjs backend was replaced (the wasm runtime re-initialised once a kernel trapped), the tensors made on the
   * old one are gone with it: everything is made again from the graph's host copies, on the new one.
   */
  #uploadAgainIfReplaced(): void {
    if (!this.#replaced()) return;
    this.#clear();
    this.#upload();
    this.#permute();
  }

  /**
   * Computes at load every node whose inputs are all constants, in order, keeping its outputs as constants; then lets
   * go of the constants only folded nodes read. A kernel that fails here fails the load, naming the node.
   */
  #foldConstants(order: OnnxGraph['nodes'], source: string): Set<OnnxNode> {
    const folded = new Set<OnnxNode>();
    for (const node of order) {
      if (!node.inputs.every((name) => name === '' || this.#constants.has(name))) continue;
      const ctx = this.#context(node, (name) => this.#constants.get(name), {
        channelsLastInput: false,
        channelsLastOutput: false,
        permutedInputs: new Set(),
        rankLimited: false,
      });
      let outputs: Value[];
      try {
        outputs = tf.tidy(() => this.#kernel(node)(ctx) as unknown as tf.TensorContainer) as unknown as Value[];
      } catch (error) {
        throw new ModelLoadError(
          source,
          `${node.opType} "${node.name}" (computed at load: its inputs are constants): ${(error as Error).message}`,
          error,
        );
      }
      node.outputs.forEach((name, i) => {
        const v = outputs[i];
        if (name !== '' && v !== undefined) this.#constants.set(name, isHost(v) ? v : tf.keep(v));
      });
      for (const v of outputs)
        if (v !== undefined && !isHost(v) && !node.outputs.some((name, i) => name !== '' && outputs[i] === v))
          v.dispose();
      folded.add(node);
    }
    // Weights the folded kernels prepared (a filter transposed for a folded Conv) are not read again.
    for (const t of this.#prepared.values()) t.dispose();
    this.#prepared.clear();
    // What the remaining graph reads, or returns, stays; the rest (shapes, fill values, pre-fold weights) goes.
    const needed = new Set([
      ...order.filter((n) => !folded.has(n)).flatMap((n) => n.inputs),
      ...this.graph.outputs.map((o) => o.name),
    ]);
    const live = new Set<Value>();
    for (const [name, v] of this.#constants) if (needed.has(name)) live.add(v);
    for (const [name, v] of [...this.#constants]) {
      if (needed.has(name)) continue;
      this.#constants.delete(name);
      if (!isHost(v) && !live.has(v)) v.dispose();
      live.add(v);
    }
    return folded;
  }

  #kernel(node: OnnxNode): OpKernel {
    return (OP_TABLE.get(node.opType) as OpSpec).kernel;
  }

  #context(node: OnnxNode, valueOf: (name: string) => Value | undefined, layout: NodeLayout): OpContext {
    return {
      node,
      opset: this.graph.opset,
      dtypeOf: (name) => (name ? this.#dtypes.get(name) : undefined),
      inputs: node.inputs.map((name, i) =>
        name === '' ? undefined : layout.permutedInputs.has(i) ? this.#permuted.get(name) : valueOf(name),
      ),
      channelsLastInput: layout.channelsLastInput,
      channelsLastOutput: layout.channelsLastOutput,
      isConstant: (i) => this.#constants.has(node.inputs[i] ?? ''),
      prepared: (key, make) => {
        let t = this.#prepared.get(key);
        if (!t) {
          t = tf.keep(tf.tidy(make));
          this.#prepared.set(key, t);
        }
        return t;
      },
    };
  }

  /** Runs the graph; returns the requested outputs as tensors the caller disposes (host values are converted). */
  run(feeds: Record<string, Value>, outputNames: readonly string[]): Record<string, Value> {
    this.#uploadAgainIfReplaced();
    return tf.tidy(() => {
      const values = new Map<string, Value>([...this.#constants, ...Object.entries(feeds)]);
      // Values that outlive their last reader: weights, the caller's feeds, the outputs asked for.
      const wanted = new Set(outputNames);
      const kept = (name: string): boolean => this.#constants.has(name) || name in feeds || wanted.has(name);
      // How many live names hold each tensor (Identity and friends hand the same tensor on under another name).
      const holders = new Map<tf.Tensor, number>();
      // Tensors this run does not own, whatever name they travel under (Identity of a weight or of a feed).
      const feedTensors = new Set<Value>(Object.values(feeds));
      const borrowed = (v: Value): boolean => this.#constantTensors.has(v) || feedTensors.has(v);
      const hold = (v: Value, by: number): void => {
        if (!isHost(v)) holders.set(v, (holders.get(v) ?? 0) + by);
      };
      const maxRank = tf.getBackend() === 'wasm' ? WASM_MAX_RANK : Infinity;
      this.#order.forEach((node, k) => {
        const layout = this.#layout[k] as NodeLayout;
        const ctx = this.#context(node, (name) => values.get(name), layout);
        if (layout.rankLimited) {
          const high = ctx.inputs.find((v) => v !== undefined && !isHost(v) && v.rank > maxRank);
          if (high)
            throw new Error(
              `${node.opType} "${node.name}": a rank-${dimsOf(high).length} input; tfjs-wasm computes tensors up to rank ${WASM_MAX_RANK} (its XNNPACK kernels return garbage beyond)`,
            );
        }
        let outputs: Value[];
        try {
          // A tidy per node: the kernel's own temporaries (layout transposes, partial sums) go as soon as it returns.
          outputs = tf.tidy(() => this.#kernel(node)(ctx) as unknown as tf.TensorContainer) as unknown as Value[];
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

  /** Whether the tfjs backend the constants were made on has since been removed or replaced. */
  #replaced(): boolean {
    return (tf.engine().registry as Record<string, unknown>)[this.#uploadedTo.name] !== this.#uploadedTo.backend;
  }

  /** Frees every tensor the program made (unless their backend went, and they with it) and forgets them. */
  dispose(): void {
    if (!this.#replaced()) {
      for (const v of new Set(this.#constants.values())) if (!isHost(v)) v.dispose();
      for (const t of [...this.#prepared.values(), ...this.#permuted.values()]) t.dispose();
    }
    this.#clear();
  }

  #clear(): void {
    this.#permuted.clear();
    this.#constants.clear();
    this.#constantTensors.clear();
    this.#prepared.clear();
  }
}

/**
 * Everything the kernels do not run, refused together at load: ops outside the table (or another domain), opsets
 * outside an op's range, forms an op's row refuses (UNSUPPORTED_OP), values of element types tfjs does not hold
 * (UNSUPPORTED_DTYPE, naming the node that makes them).
 */
function refuseWhatKernelsDoNotRun(
  graph: OnnxGraph,
  order: readonly OnnxNode[],
  dtypes: ReadonlyMap<string, string>,
  backendName: string,
): void {
  const unsupported: UnsupportedOp[] = [];
  const dtypeOf = (name: string | undefined): string | undefined => (name ? dtypes.get(name) : undefined);
  for (const node of order) {
    const op = {
      opType: node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType,
      nodeName: node.name,
      domain: node.domain,
      opset: graph.opset,
    };
    const spec = OP_TABLE.get(node.opType);
    if ((node.domain !== '' && node.domain !== 'ai.onnx') || !spec) {
      unsupported.push(op);
      continue;
    }
    const [since = 1, until = Infinity] = spec.opsets ?? [];
    if (graph.opset < since || graph.opset > until) {
      unsupported.push({
        ...op,
        attribute:
          'opset (the kernel implements ' + (until === Infinity ? `${since} and later` : `${since} to ${until}`) + ')',
        value: graph.opset,
      });
      continue;
    }
    const form = spec.refuse?.({ node, opset: graph.opset, constants: graph.initializers, dtypeOf });
    if (form) unsupported.push({ ...op, ...form });
  }
  if (unsupported.length > 0) throw new UnsupportedOpError(backendName, unsupported);
  // The graph's own inputs and outputs first, by role, then what flows between nodes, naming the node that makes it.
  const held = (dtype: string | undefined): boolean =>
    dtype === undefined || dtype.startsWith('sequence') || (TFJS_DTYPES as readonly string[]).includes(dtype);
  const unheld: UnsupportedDtype[] = [
    ...graph.inputs
      .filter((v) => !held(v.dtype))
      .map((v) => ({ tensor: v.name, role: 'input' as const, dtype: v.dtype })),
    ...graph.outputs
      .filter((v) => !held(v.dtype))
      .map((v) => ({ tensor: v.name, role: 'output' as const, dtype: v.dtype })),
  ];
  const named = new Set([...graph.inputs, ...graph.outputs].map((v) => v.name));
  for (const node of order) {
    for (const name of node.outputs) {
      const dtype = dtypeOf(name);
      if (name && !named.has(name) && !held(dtype))
        unheld.push({ tensor: name, role: 'intermediate', dtype: dtype as string, node: node.name });
    }
  }
  for (const [name, c] of graph.initializers)
    if (!held(c.sourceDtype)) unheld.push({ tensor: name, role: 'initializer', dtype: c.sourceDtype });
  if (unheld.length > 0) throw new UnsupportedDtypeError(backendName, unheld, TFJS_DTYPES);
}

function topologicalOrder(graph: OnnxGraph, source: string): OnnxGraph['nodes'] {
  const available = new Set<string>([...graph.inputs.map((i) => i.name), ...graph.initializers.keys(), '']);
  const pending = [...graph.nodes];
  const order: OnnxGraph['nodes'] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((n) => n.inputs.every((i) => available.has(i)));
    if (index < 0) {
      const node = pending[0] as OnnxGraph['nodes'][number];
      throw new ModelLoadError(
        source,
        `node ${node.name} needs ${node.inputs.filter((i) => !available.has(i)).join(', ')}, which nothing produces`,
      );
    }
    const [node] = pending.splice(index, 1) as [OnnxGraph['nodes'][number]];
    for (const o of node.outputs) available.add(o);
    order.push(node);
  }
  return order;
}
