import { Ajv } from 'ajv';
import type { BenchReport } from './harness.js';

const summary = {
  type: 'object',
  required: [
    'count',
    'min',
    'p50',
    'p90',
    'p95',
    'p99',
    'max',
    'mean',
    'stddev',
    'throughput',
    'complete',
    'wallMs',
    'stable',
    'spread',
    'windows',
  ],
  properties: {
    count: { type: 'integer', minimum: 1 },
    min: { type: 'number' },
    p50: { type: 'number' },
    p90: { type: 'number' },
    p95: { type: 'number' },
    p99: { type: 'number' },
    max: { type: 'number' },
    mean: { type: 'number' },
    stddev: { type: 'number' },
    throughput: { type: 'number' },
    complete: { type: 'boolean' },
    wallMs: { type: 'number' },
    stable: { type: 'boolean' },
    spread: { type: ['number', 'null'] },
    windows: { type: 'integer', minimum: 1 },
  },
} as const;

const percentiles = {
  type: 'object',
  required: ['p50', 'p90', 'p99'],
  properties: { p50: { type: 'number' }, p90: { type: 'number' }, p99: { type: 'number' } },
} as const;

const server = {
  type: 'object',
  required: ['latencyBoundMs', 'boundSource', 'workers', 'points', 'maxRateUnderBound'],
  properties: {
    latencyBoundMs: { type: 'number', exclusiveMinimum: 0 },
    boundSource: { type: 'string' },
    workers: { type: 'integer', minimum: 1 },
    maxRateUnderBound: { type: ['number', 'null'] },
    points: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: [
          'offeredRate',
          'issued',
          'issuedRate',
          'completed',
          'achievedRate',
          'latency',
          'queue',
          'compute',
          'wallMs',
        ],
        properties: {
          offeredRate: { type: 'number', exclusiveMinimum: 0 },
          issued: { type: 'integer' },
          completed: { type: 'integer' },
          achievedRate: { type: 'number' },
          latency: percentiles,
          queue: percentiles,
          compute: percentiles,
        },
      },
    },
  },
} as const;

const offlineRun = {
  type: 'object',
  required: ['samplesPerCall', 'calls', 'inFlight', 'wallMs', 'throughput'],
} as const;
const offline = {
  type: 'object',
  required: ['unbatched'],
  properties: {
    unbatched: offlineRun,
    batched: offlineRun,
    batchedUnavailable: { type: 'string' },
    batchParity: { type: 'object', required: ['pass', 'maxRelativeDiff'] },
  },
  // Batched figures, or the reason there are none.
  anyOf: [{ required: ['batched'] }, { required: ['batchedUnavailable'] }],
} as const;

/** JSON Schema of report.json, version polyinfer-bench/3 (2: scenarios and stability windows; 3: task cells with per-image summaries). */
export const REPORT_JSON_SCHEMA = {
  $id: 'https://polyinfer.dev/schemas/bench-report-3.json',
  type: 'object',
  required: ['schema', 'createdAt', 'durationMs', 'machine', 'settings', 'models', 'cells'],
  properties: {
    schema: { const: 'polyinfer-bench/3' },
    createdAt: { type: 'string' },
    durationMs: { type: 'number' },
    machine: {
      type: 'object',
      required: ['cpu', 'cores', 'memoryBytes', 'os', 'node', 'libraries'],
      properties: {
        cpu: { type: 'string' },
        cores: { type: 'integer' },
        memoryBytes: { type: 'number' },
        os: { type: 'string' },
        node: { type: 'string' },
        chromium: { type: 'string' },
        libraries: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    settings: {
      type: 'object',
      required: [
        'scenarios',
        'warmup',
        'windowMs',
        'stabilityWindows',
        'stabilityTolerance',
        'minCount',
        'maxDurationMs',
        'server',
        'offline',
        'quick',
        'timeoutS',
      ],
    },
    models: { type: 'array', items: { type: 'object', required: ['id', 'title', 'kind'] } },
    cells: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'model', 'backend', 'device', 'environment', 'status', 'wallMs'],
        properties: {
          environment: { enum: ['node', 'chromium'] },
          status: { enum: ['ok', 'unavailable', 'error', 'timeout', 'skipped'] },
          reason: { type: 'string' },
          sessionCreateMs: { type: 'number' },
          firstInferenceMs: { type: 'number' },
          steady: summary,
          concurrency: {
            anyOf: [
              { type: 'null' },
              {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['inFlight', 'completed', 'throughput', 'p50', 'stable', 'spread'],
                  properties: { p50: { type: ['number', 'null'] } },
                },
              },
            ],
          },
          server,
          offline,
          memory: { type: 'object', additionalProperties: { type: 'number' } },
          parity: { type: 'object', required: ['reference', 'pass'] },
        },
        // A cell that did not run must say why; one that ran must have its figures.
        if: { properties: { status: { const: 'ok' } } },
        then: { required: ['steady', 'sessionCreateMs', 'firstInferenceMs'] },
        else: { required: ['reason'] },
      },
    },
  },
} as const;

const validator = new Ajv({ allErrors: true, strict: false }).compile(REPORT_JSON_SCHEMA);

/** The problems with a report, empty when it fits the schema. */
export function reportProblems(report: unknown): string[] {
  if (validator(report)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

export function assertReport(report: unknown, source: string): BenchReport {
  const problems = reportProblems(report);
  if (problems.length > 0)
    throw new Error(`${source} is not a valid polyinfer-bench/3 report: ${problems.slice(0, 5).join('; ')}`);
  return report as BenchReport;
}
