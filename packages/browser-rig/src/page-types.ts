import type { DataType } from '@polyinfer/core';
import type { ScenarioFigures, ScenarioSettings } from '@polyinfer/bench-core';
import type { WireTensor } from './wire-tensor.js';

/** What the benchmark harness sends to the page for one cell: URLs in place of file paths. */
export interface PageCellSpec {
  kind: 'tensor' | 'task';
  /** A task cell's task (BENCH_TASKS: ocr, detect, classify). */
  task?: string;
  backend: string;
  device: string;
  modelUrl?: string;
  /** `url`: the input tensor's float32 bytes, prepared by the harness (a real image). */
  inputs?: { name: string; dims: number[]; dtype?: DataType; url?: string }[];
  input?: 'image' | 'image-like' | 'random';
  seed?: number;
  imageUrls?: string[];
  /** onnxruntime-web's wasm threads in this page (the harness's --wasm-threads). */
  wasmThreads?: number;
  /** The scenarios to run and how (the harness's settings, as in a Node cell). */
  settings: ScenarioSettings;
}

export interface PageCellResult extends ScenarioFigures {
  sessionCreateMs: number;
  firstInferenceMs: number;
  /** Task cells: each image's result as the task summarises it. */
  summaries?: Record<string, unknown>;
  /** First inference's outputs: their elements in the binary tensor layout (see @polyinfer/v2-protocol), as base64. */
  outputs: { name: string; dtype: DataType; dims: number[]; base64: string }[];
  userAgentSpecificBytes?: number;
}

export interface PageEnvironment {
  crossOriginIsolated: boolean;
  userAgent: string;
  ortWeb: { platform: string; numThreads: number; threadsNote?: string };
  webgpu: { vendor: string; architecture: string } | null;
}

/** One ONNX test case for the page: the model's URL on the rig server, each data set's inputs. */
export interface PageCaseSpec {
  backend: string;
  device: string;
  modelUrl: string;
  dataSets: WireTensor[][];
}

/** What the page made of a case: refused at load, a run that failed, or every data set's outputs. */
export interface PageCaseResult {
  refused?: { code: string; message: string };
  runError?: { index: number; code: string; message: string };
  outputs?: WireTensor[][];
}

/** Part of the page's `window.rig`, typed for page.evaluate callers in Node. */
export interface RigWindow {
  rig: {
    environment(): Promise<PageEnvironment>;
    probe(device: string, backend?: string): Promise<{ available: true } | { available: false; reason: string }>;
    benchCell(spec: PageCellSpec): Promise<PageCellResult>;
    conformanceCase(spec: PageCaseSpec): Promise<PageCaseResult>;
  };
}
