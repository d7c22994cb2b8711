import * as tf from '@tensorflow/tfjs-core';
import type { DataType, Feeds, RunOptions, SessionIdentity, TensorInfo } from '@polyinfer/core';
import { BaseSession, InferenceError, InvalidTensorError, isPolyinferError, Tensor } from '@polyinfer/core';
import type { OnnxProgram } from './onnx-program.js';
import type { Value } from './ops/value.js';
import { host, isHost } from './ops/value.js';
import { isWasmTrap, replaceTfBackend } from './wasm-recovery.js';
import { TFJS_DTYPES } from './tfjs-dtypes.js';

// tfjs has one active backend per process: runs of sessions on different devices take turns.
let turn: Promise<unknown> = Promise.resolve();

async function activate(backend: string): Promise<void> {
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend)))
    throw new Error(`tfjs could not activate backend ${backend}`);
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** int64 feeds as the numbers tfjs computes with; a value a number cannot hold exactly is refused, not rounded. */
function int64Values(name: string, data: BigInt64Array): number[] {
  return Array.from(data, (v) => {
    if (v > SAFE || v < -SAFE)
      throw new InvalidTensorError(
        `Input "${name}": tfjs holds int64 values as numbers, exact only within ±(2^53 - 1); got ${v}`,
        { input: name, dtype: 'int64', got: v.toString() },
      );
    return Number(v);
  });
}

function toValue(name: string, t: Tensor): Value {
  switch (t.dtype) {
    case 'float32':
      return tf.tensor(t.data as Float32Array, [...t.dims], 'float32');
    case 'int64':
      return host('int64', [...t.dims], int64Values(name, t.data as BigInt64Array));
    case 'int32':
    case 'uint8':
    case 'int8':
    case 'int16':
    case 'uint16':
      return tf.tensor(Int32Array.from(t.data as ArrayLike<number>), [...t.dims], 'int32');
    case 'bool':
      return tf.tensor(t.data as Uint8Array, [...t.dims], 'bool');
    default:
      throw new Error(`tfjs sessions take ${TFJS_DTYPES.join(', ')} feeds, not ${t.dtype}`);
  }
}

function toPolyinfer(
  values: number[] | Float32Array | Int32Array | Uint8Array,
  dims: number[],
  dtype: DataType,
): Tensor {
  switch (dtype) {
    case 'int64':
      return new Tensor(
        'int64',
        BigInt64Array.from(values as ArrayLike<number>, (v) => BigInt(Math.trunc(v))),
        dims,
      );
    case 'int32':
      return new Tensor('int32', Int32Array.from(values as ArrayLike<number>), dims);
    case 'bool':
    case 'uint8':
      return new Tensor(dtype, Uint8Array.from(values as ArrayLike<number>), dims);
    case 'int8':
      return new Tensor('int8', Int8Array.from(values as ArrayLike<number>), dims);
    case 'int16':
      return new Tensor('int16', Int16Array.from(values as ArrayLike<number>), dims);
    case 'uint16':
      return new Tensor('uint16', Uint16Array.from(values as ArrayLike<number>), dims);
    default:
      return new Tensor(
        'float32',
        values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>),
        dims,
      );
  }
}

export class TfjsSession extends BaseSession {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];

  constructor(
    identity: SessionIdentity,
    private readonly program: OnnxProgram,
    private readonly tfBackend: string,
  ) {
    super(identity);
    this.inputs = program.graph.inputs;
    this.outputs = program.graph.outputs;
  }

  protected runValidated(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    const run = turn.then(() => this.#run(feeds, options));
    turn = run.catch(() => undefined);
    return run;
  }

  async #run(feeds: Feeds, options: RunOptions): Promise<Feeds> {
    const names = options.outputNames ?? this.outputs.map((o) => o.name);
    let produced: Record<string, Value>;
    try {
      await activate(this.tfBackend);
      const values: Record<string, Value> = {};
      try {
        for (const [name, t] of Object.entries(feeds)) values[name] = toValue(name, t);
        produced = this.program.run(values, names);
      } finally {
        for (const v of Object.values(values)) if (!isHost(v)) v.dispose();
      }
    } catch (error) {
      if (isPolyinferError(error, 'INVALID_TENSOR')) throw error;
      // A trap inside the wasm runtime (an out-of-bounds read) may leave its heap unsound: the next run gets a new one.
      if (isWasmTrap(error)) await replaceTfBackend(this.tfBackend);
      throw new InferenceError(this.backend, this.device, error);
    }
    const outputs: Feeds = {};
    try {
      for (const name of names) {
        const v = produced[name] as Value;
        const dtype = this.outputs.find((o) => o.name === name)?.dtype ?? 'float32';
        outputs[name] = isHost(v)
          ? toPolyinfer(v.data, v.dims, dtype)
          : toPolyinfer((await v.data()) as Float32Array | Int32Array | Uint8Array, [...v.shape], dtype);
      }
    } finally {
      for (const v of Object.values(produced)) if (!isHost(v)) v.dispose();
    }
    return outputs;
  }

  protected async release(): Promise<void> {
    await turn;
    this.program.dispose();
  }
}
