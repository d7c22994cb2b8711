/** Count and cumulative nanoseconds, as Triton's statistics extension reports durations. */
export interface DurationStat {
  count: number;
  ns: number;
}

const zero = (): DurationStat => ({ count: 0, ns: 0 });
const add = (stat: DurationStat, ms: number, count = 1): void => {
  stat.count += count;
  stat.ns += Math.round(ms * 1e6);
};

/** One model's statistics since the server started, in the shape of Triton's `$model_stat`. */
export class ModelStats {
  lastInference = 0;
  inferenceCount = 0;
  executionCount = 0;
  readonly success = zero();
  readonly fail = zero();
  /** Requests whose client left before they ran (Triton's `cancel`). */
  readonly cancel = zero();
  readonly queue = zero();
  readonly computeInfer = zero();
  readonly #batches = new Map<number, DurationStat>();

  constructor(
    readonly name: string,
    readonly version: string,
  ) {}

  /** A request answered: its whole time, its time waiting, and the time of the execution it was part of. */
  succeeded(totalMs: number, queueMs: number, computeMs: number, inferences: number): void {
    this.lastInference = Date.now();
    this.inferenceCount += inferences;
    add(this.success, totalMs);
    add(this.queue, queueMs);
    add(this.computeInfer, computeMs);
  }

  failed(totalMs: number): void {
    add(this.fail, totalMs);
  }

  cancelled(): void {
    add(this.cancel, 0);
  }

  executed(batchSize: number, computeMs: number): void {
    this.executionCount += 1;
    let stat = this.#batches.get(batchSize);
    if (!stat) this.#batches.set(batchSize, (stat = zero()));
    add(stat, computeMs);
  }

  toJSON(): object {
    return {
      name: this.name,
      version: this.version,
      last_inference: this.lastInference,
      inference_count: this.inferenceCount,
      execution_count: this.executionCount,
      inference_stats: {
        success: this.success,
        fail: this.fail,
        cancel: this.cancel,
        queue: this.queue,
        compute_input: zero(),
        compute_infer: this.computeInfer,
        compute_output: zero(),
        cache_hit: zero(),
        cache_miss: zero(),
      },
      batch_stats: [...this.#batches.entries()]
        .sort(([a], [b]) => a - b)
        .map(([batchSize, computeInfer]) => ({
          batch_size: batchSize,
          compute_input: zero(),
          compute_infer: computeInfer,
          compute_output: zero(),
        })),
    };
  }
}
