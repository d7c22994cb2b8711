import type { DataType } from '@polyinfer/core';
import type { ConcurrencyPoint, OfflineFigures, ScenarioFigures, ScenarioSettings } from '@polyinfer/bench-core';
import type { BenchModel } from './model-set.js';

export type CellEnvironment = 'node' | 'chromium';

export interface MeasureSettings extends ScenarioSettings {
  /** onnxruntime-web wasm threads (tfjs wasm runs one thread in Node: 1 compares them at equal threads). */
  wasmThreads: number;
}

export interface CellSpec {
  id: string;
  model: BenchModel;
  backend: string;
  device: string;
  environment: CellEnvironment;
  /** A remote target's server. */
  url?: string;
  settings: MeasureSettings;
  /** Where the cell writes its outputs for the parity check. */
  outputDir: string;
}

export interface MemoryFigures {
  /** Node: peak resident set size of the cell's process, sampled every 5 ms from a worker thread. */
  peakRssBytes?: number;
  /**
   * Chromium: each browser process's peak RSS (the kernel's VmHWM), summed. An upper bound of the browser's peak:
   * pages shared between its processes count once per process.
   */
  peakProcessRssSumBytes?: number;
  /** Chromium: PSS summed over the browser's processes once the cell is done (shared pages split among them). */
  endPssBytes?: number;
  heapUsedBytes?: number;
  externalBytes?: number;
  arrayBuffersBytes?: number;
  /** performance.measureUserAgentSpecificMemory() in the page. */
  userAgentSpecificBytes?: number;
  /** PSS of Chromium's renderer and GPU processes (the GPU process stands in for VRAM on SwiftShader). */
  rendererPssBytes?: number;
  gpuProcessPssBytes?: number;
}

export interface SavedOutput {
  name: string;
  dtype: DataType;
  dims: number[];
  /** The output's elements (see tensor-file.ts). */
  file: string;
}

export interface CellResult {
  id: string;
  model: string;
  backend: string;
  device: string;
  environment: CellEnvironment;
  /** A remote target's server. */
  url?: string;
  status: 'ok' | 'unavailable' | 'error' | 'timeout' | 'skipped';
  reason?: string;
  sessionCreateMs?: number;
  firstInferenceMs?: number;
  /** single-stream: one run at a time, in windows until they agree (`stable`), else with the spread. */
  steady?: ScenarioFigures['steady'];
  /** Throughput with 1…N in flight, for every backend; null for task cells that did not run it. */
  concurrency?: ConcurrencyPoint[] | null;
  server?: ScenarioFigures['server'];
  offline?: OfflineFigures;
  cpuMsPerInference?: number;
  memory?: MemoryFigures;
  outputs?: SavedOutput[];
  /** Task cells: each image's result as the task summarises it (OCR: its lines of text), for parity. */
  summaries?: Record<string, unknown>;
  parity?: {
    reference: string;
    maxAbsDiff?: number;
    relativeDiff?: number;
    tolerance?: number;
    problem?: string;
    textMatches?: boolean;
    cer?: number;
    pass: boolean;
  };
  wallMs: number;
}

/** The peak memory figure of a cell: RSS of its process (Node) or its browser processes' peak RSS summed (Chromium). */
export function peakMemoryBytes(memory: MemoryFigures | undefined): number | undefined {
  return memory?.peakRssBytes ?? memory?.peakProcessRssSumBytes;
}

/** The fields every cell result starts from: which cell, which model, where it ran. */
export function cellIdentity(spec: CellSpec): Pick<CellResult, 'id' | 'model' | 'backend' | 'device' | 'environment'> {
  return {
    id: spec.id,
    model: spec.model.id,
    backend: spec.backend,
    device: spec.device,
    environment: spec.environment,
  };
}

/** A cell's load-scenario figures as the scenarios read them (a concurrency sweep that did not run is null in a report). */
export function scenarioFiguresOf(cell: CellResult): Partial<ScenarioFigures> {
  const { steady, concurrency, server, offline } = cell;
  return {
    ...(steady ? { steady } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(server ? { server } : {}),
    ...(offline ? { offline } : {}),
  };
}
