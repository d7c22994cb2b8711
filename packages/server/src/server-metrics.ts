import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SchedulerObserver } from './model-scheduler.js';

/** Seconds buckets from 0.5 ms to 30 s: a classifier's run and a page of OCR both land inside. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

/**
 * The server's Prometheus metrics (prom-client, one registry per server so two servers in a process never mix):
 * per model and version, requests by outcome, queue and compute durations, batch sizes, requests in flight and
 * waiting; and the process's own (resident memory, heap, event-loop lag) under the standard `process_`/`nodejs_`
 * names. The docs (guide/serving, "Metrics") list them.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'model' | 'version' | 'outcome'>;
  readonly #queueSeconds: Histogram<'model' | 'version'>;
  readonly #requestSeconds: Histogram<'model' | 'version'>;
  readonly #computeSeconds: Histogram<'model' | 'version'>;
  readonly #batchSize: Histogram<'model' | 'version'>;
  readonly #executing: Gauge<'model' | 'version'>;
  readonly #queueDepth: Gauge<'model' | 'version'>;
  readonly #refused: Counter<'reason'>;

  constructor() {
    const registers = [this.registry];
    this.#requests = new Counter({
      name: 'polyinfer_requests_total',
      help: 'Inference requests answered, by outcome: success, failure, cancelled (the client left before it ran)',
      labelNames: ['model', 'version', 'outcome'],
      registers,
    });
    this.#queueSeconds = new Histogram({
      name: 'polyinfer_queue_duration_seconds',
      help: 'Time a request waited in its model queue before it ran',
      labelNames: ['model', 'version'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#requestSeconds = new Histogram({
      name: 'polyinfer_request_duration_seconds',
      help: 'Time from a request entering its model queue to its answer (queue and compute)',
      labelNames: ['model', 'version'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#computeSeconds = new Histogram({
      name: 'polyinfer_compute_duration_seconds',
      help: 'Time of one execution of the model (a batch counts once)',
      labelNames: ['model', 'version'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#batchSize = new Histogram({
      name: 'polyinfer_batch_size',
      help: 'Rows per execution of the model',
      labelNames: ['model', 'version'],
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.#executing = new Gauge({
      name: 'polyinfer_executions_in_flight',
      help: 'Executions of the model running now',
      labelNames: ['model', 'version'],
      registers,
    });
    this.#queueDepth = new Gauge({
      name: 'polyinfer_queue_depth',
      help: 'Requests waiting in the model queue now',
      labelNames: ['model', 'version'],
      registers,
    });
    this.#refused = new Counter({
      name: 'polyinfer_refused_requests_total',
      help: 'Requests refused before they reached a model queue, by reason',
      labelNames: ['reason'],
      registers,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** What a model's scheduler reports, under its labels (children bound once: no label hashing per request). */
  observerFor(model: string, version: string): SchedulerObserver {
    const labels = { model, version };
    const requests = {
      success: this.#requests.labels({ ...labels, outcome: 'success' }),
      failure: this.#requests.labels({ ...labels, outcome: 'failure' }),
      cancelled: this.#requests.labels({ ...labels, outcome: 'cancelled' }),
    };
    for (const counter of Object.values(requests)) counter.inc(0);
    const queueSeconds = this.#queueSeconds.labels(labels);
    const requestSeconds = this.#requestSeconds.labels(labels);
    const computeSeconds = this.#computeSeconds.labels(labels);
    const batchSize = this.#batchSize.labels(labels);
    const executing = this.#executing.labels(labels);
    const queueDepth = this.#queueDepth.labels(labels);
    executing.set(0);
    queueDepth.set(0);
    return {
      queued: (depth) => queueDepth.set(depth),
      executing: (count) => executing.set(count),
      executed: (rows, computeMs) => {
        batchSize.observe(rows);
        computeSeconds.observe(computeMs / 1000);
      },
      answered: (outcome, times) => {
        requests[outcome].inc();
        if (times) {
          queueSeconds.observe(times.queueMs / 1000);
          requestSeconds.observe(times.totalMs / 1000);
        }
      },
    };
  }

  /** A request refused at the door: a bad or unauthorised request, a foreign Host/Origin, too large, too busy. */
  refused(reason: string): void {
    this.#refused.inc({ reason });
  }

  /** The Prometheus text exposition format, and its content type. */
  async exposition(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
