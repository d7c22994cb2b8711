import type { BackendOptionType, SessionOptions } from '@polyinfer/core';
import { checkBackendOptionValues, ConfigError } from '@polyinfer/core';
import type { OrtExecutionProvider, OrtNodeDevice, OrtNodeDeviceOptions } from './execution-providers.js';
import { executionProvidersFor } from './execution-providers.js';

/** What polyinfer passes to `InferenceSession.create` (a subset of onnxruntime's SessionOptions). */
export interface OrtSessionOptions {
  executionProviders: OrtExecutionProvider[];
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  executionMode?: 'sequential' | 'parallel';
  enableCpuMemArena?: boolean;
  enableMemPattern?: boolean;
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /** onnxruntime session config entries ("session.intra_op.allow_spinning" …), nested by dots. */
  extra?: Record<string, unknown>;
}

/** Options only this backend understands, passed as `SessionOptions.backendOptions`. */
export interface OrtNodeBackendOptions extends OrtNodeDeviceOptions {
  executionMode?: 'sequential' | 'parallel';
  enableCpuMemArena?: boolean;
  enableMemPattern?: boolean;
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /**
   * Let idle intra-op threads spin waiting for work (onnxruntime's default). Off by default here: several sessions
   * in one process (a pipeline's stages) each have a thread pool, and spinning pools steal the cores the running
   * session needs — on 2 cores that cost OCR 20–40 %.
   */
  allowSpinning?: boolean;
}

declare module '@polyinfer/core' {
  interface BackendOptionsByName {
    'ort-node'?: OrtNodeBackendOptions;
  }
}

/** The `backendOptions` keys this backend understands (declared in its capabilities). */
export const ORT_NODE_BACKEND_OPTIONS: readonly (keyof OrtNodeBackendOptions)[] = [
  'deviceId',
  'executionMode',
  'enableCpuMemArena',
  'enableMemPattern',
  'logSeverityLevel',
  'allowSpinning',
];

/** What each backend option takes (declared in the capabilities: BaseBackend refuses another type before onnxruntime sees it). */
export const ORT_NODE_BACKEND_OPTION_TYPES = {
  deviceId: 'non-negative-integer',
  executionMode: { oneOf: ['sequential', 'parallel'] },
  enableCpuMemArena: 'boolean',
  enableMemPattern: 'boolean',
  logSeverityLevel: { oneOf: [0, 1, 2, 3, 4] },
  allowSpinning: 'boolean',
} as const satisfies Record<keyof OrtNodeBackendOptions, BackendOptionType>;

/** Throws INVALID_CONFIG naming the option when a value is not what it takes (e.g. `executionMode: 'fast'`). */
export const validateOrtNodeBackendOptions = (options: Record<string, unknown>): void =>
  checkBackendOptionValues('ort-node', options, ORT_NODE_BACKEND_OPTION_TYPES);

function threads(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(`${name} must be a non-negative integer, got ${value}`, { [name]: value });
  return value;
}

export function toOrtSessionOptions(options: SessionOptions): OrtSessionOptions {
  const backend = (options.backendOptions ?? {}) as OrtNodeBackendOptions;
  const mapped: OrtSessionOptions = {
    executionProviders: executionProvidersFor(options.device as OrtNodeDevice, backend),
    // Errors only: onnxruntime logs warnings at error level otherwise (e.g. node placement notes).
    logSeverityLevel: backend.logSeverityLevel ?? 3,
    extra: {
      session: {
        intra_op: { allow_spinning: backend.allowSpinning ? '1' : '0' },
        inter_op: { allow_spinning: backend.allowSpinning ? '1' : '0' },
      },
    },
  };
  const intra = threads('intraOpThreads', options.intraOpThreads);
  const inter = threads('interOpThreads', options.interOpThreads);
  if (intra !== undefined) mapped.intraOpNumThreads = intra;
  if (inter !== undefined) mapped.interOpNumThreads = inter;
  if (options.graphOptimization !== undefined) mapped.graphOptimizationLevel = options.graphOptimization;
  if (backend.executionMode !== undefined) mapped.executionMode = backend.executionMode;
  if (backend.enableCpuMemArena !== undefined) mapped.enableCpuMemArena = backend.enableCpuMemArena;
  // A plan per input shape is kept for good: where shapes change with every run they pile up (OCR detection over the
  // 44-image test set: peak RSS 329 → 287 MiB without them, at the same speed).
  const memPattern = backend.enableMemPattern ?? (options.shapesVary ? false : undefined);
  if (memPattern !== undefined) mapped.enableMemPattern = memPattern;
  return mapped;
}
