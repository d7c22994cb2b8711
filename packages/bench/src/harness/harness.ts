import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRegistry } from '@polyinfer/core';
import type { ScenarioName } from '@polyinfer/bench-core';
import { BENCH_TASKS, benchTask } from '@polyinfer/bench-core';
import { registerCatalogue, remoteEntry } from '@polyinfer/backends';
import { startRig } from '@polyinfer/browser-rig';
import type { RigWindow } from '@polyinfer/browser-rig';
import type { CellResult, CellSpec, MeasureSettings } from './cell.js';
import type { MachineInfo } from './machine-info.js';
import { machineInfo } from './machine-info.js';
import type { BenchModel } from './model-set.js';
import type { UserModelInputs } from './model-set.js';
import { builtinModels, modelNamed, prepareImageInputs, userModel, userTaskModel } from './model-set.js';
import { prepareUserInputs } from './user-model-inputs.js';
import { runBrowserCell } from './run-browser-cell.js';
import { runNodeCell } from './run-node-cell.js';
import type { Target } from './targets.js';
import { allTargets, REFERENCE, remoteConfig, remoteTarget, targetKey, targetName } from './targets.js';
import type { OutputValues } from './tensor-parity.js';
import { outputValues, tensorParity } from './tensor-parity.js';
import { readTensorFile } from './tensor-file.js';

export const REPORT_SCHEMA = 'polyinfer-bench/3';

export interface BenchOptions {
  quick: boolean;
  out: string;
  /** Model ids to run (default: all, or the quick set). */
  models?: string[];
  /** backend:device[@chromium] filters (default: every target). */
  targets?: string[];
  /** The user's own models (`--model`), with how to feed them; given alone (no `models`), only these run. */
  userModels?: ({ path: string } & UserModelInputs)[];
  seed?: number;
  /** Scenarios beyond single-stream (which always runs); default single-stream and concurrency. */
  scenarios?: ScenarioName[];
  /**
   * Single-stream and concurrency, nested as the report's settings: the measurement window, how many windows must
   * agree and how closely (perf_analyzer's stability rule), runs at least, and the in-flight counts to sweep.
   */
  measure?: {
    windowMs?: number;
    stabilityWindows?: number;
    stabilityTolerance?: number;
    minCount?: number;
    concurrency?: number[];
  };
  /** The server scenario: rates to offer (default: fractions of the measured capacity), the p99 bound, workers. */
  server?: { rates?: number[]; latencyBoundMs?: number; workers?: number };
  /** The offline scenario: samples per batch where the model's first dimension is dynamic. */
  offline?: { batchSize?: number };
  timeoutS?: number;
  browser?: boolean;
  /** Run every model on the slow targets too (software GPUs, tfjs cpu). */
  allWebgpu?: boolean;
  progress?: (line: string) => void;
  /** onnxruntime-web wasm threads (default 2). */
  wasmThreads?: number;
  /** `--task`: the user's models (`userModels`) are benchmarked as this task's pipeline (detect, classify) over images. */
  task?: string;
  /** `--images`: the task's images (default: the bundled samples). */
  taskImages?: string;
  /** The OCR pipeline's images: a folder of PNG/JPEG files (with ground-truth.json for CER) in place of the samples. */
  ocrImages?: string;
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  createdAt: string;
  durationMs: number;
  machine: MachineInfo;
  settings: MeasureSettings & { quick: boolean; timeoutS: number };
  models: { id: string; title: string; kind: string }[];
  cells: CellResult[];
}

const QUICK_MODELS = ['ppocr-cls-192', 'ppocr-rec-320', 'ppocr-det-640', 'squeezenet', 'ppocr-pipeline'];
const TOLERANCE = 1e-4;

export const DEFAULT_SCENARIOS: ScenarioName[] = ['single-stream', 'concurrency'];

function settingsFor(options: BenchOptions): MeasureSettings {
  const q = options.quick;
  const scenarios = [...new Set<ScenarioName>(['single-stream', ...(options.scenarios ?? DEFAULT_SCENARIOS)])];
  return {
    scenarios,
    warmup: q ? 1 : 3,
    windowMs: options.measure?.windowMs ?? (q ? 150 : 500),
    stabilityWindows: options.measure?.stabilityWindows ?? 3,
    stabilityTolerance: options.measure?.stabilityTolerance ?? 0.1,
    minCount: options.measure?.minCount ?? (q ? 5 : 15),
    maxDurationMs: q ? 2000 : 8000,
    concurrency: options.measure?.concurrency ?? [1, 2, 4],
    concurrencyWindowMs: q ? 150 : 300,
    server: {
      ...(options.server?.rates ? { rates: options.server.rates } : {}),
      loadFractions: [0.25, 0.5, 0.75, 0.9, 1, 1.2],
      durationMs: q ? 1000 : 3000,
      minRequests: q ? 20 : 100,
      maxDurationMs: q ? 3000 : 10_000,
      workers: options.server?.workers ?? 1,
      ...(options.server?.latencyBoundMs !== undefined ? { latencyBoundMs: options.server.latencyBoundMs } : {}),
      boundFactor: 4,
      minBoundMs: 10,
      seed: options.seed ?? 1,
    },
    offline: { samples: q ? 16 : 64, batchSize: options.offline?.batchSize ?? (q ? 4 : 8) },
    wasmThreads: options.wasmThreads ?? 2,
  };
}

function matchesTarget(filters: string[] | undefined, t: Target): boolean {
  if (!filters || filters.length === 0) return true;
  return filters.some((f) => {
    const [name, env] = f.split('@');
    return (name === `${t.backend}:${t.device}` && (env === undefined || env === t.environment)) || name === t.backend;
  });
}

/** Whether each target can run here, probed once (cells of an unavailable target are reported without running). */
async function probeTargets(
  targets: Target[],
  browser: boolean,
): Promise<{ status: Map<Target, { ok: boolean; reason?: string; software?: boolean }>; chromium?: string }> {
  const status = new Map<Target, { ok: boolean; reason?: string; software?: boolean }>();
  const registry = registerCatalogue(createRegistry(), 'node');
  for (const t of targets.filter((x) => x.environment === 'node')) {
    try {
      // A remote target's backend is configured with its own server.
      const own =
        t.url === undefined
          ? registry
          : registerCatalogue(createRegistry(), 'node', { [remoteEntry().name]: remoteConfig(t) });
      const s = await (await own.get(t.backend)).probe(t.device);
      status.set(t, s.available ? { ok: true } : { ok: false, reason: s.reason });
    } catch (error) {
      status.set(t, { ok: false, reason: (error as Error).message });
    }
  }
  const inBrowser = targets.filter((x) => x.environment === 'chromium');
  if (inBrowser.length === 0) return { status };
  if (!browser) {
    for (const t of inBrowser) status.set(t, { ok: false, reason: 'browser cells turned off (--no-browser)' });
    return { status };
  }
  let chromium: string | undefined;
  try {
    const rig = await startRig();
    try {
      chromium = rig.browser.version();
      const page = await rig.newPage();
      const env = await page.evaluate(() => (window as unknown as RigWindow).rig.environment());
      for (const t of inBrowser) {
        const s = await page.evaluate(([d, b]) => (window as unknown as RigWindow).rig.probe(d, b), [
          t.device,
          t.backend,
        ] as const);
        // SwiftShader backs both WebGPU and WebGL here: software rasterisers, minutes per heavy model.
        const software =
          (t.device === 'webgpu' || t.device === 'webgl') && /swiftshader/i.test(env.webgpu?.architecture ?? '');
        status.set(t, s.available ? { ok: true, software } : { ok: false, reason: (s as { reason: string }).reason });
      }
    } finally {
      await rig.close();
    }
  } catch (error) {
    for (const t of inBrowser)
      status.set(t, { ok: false, reason: `Chromium could not start: ${(error as Error).message}` });
  }
  return chromium === undefined ? { status } : { status, chromium };
}

function parityOf(cell: CellResult, reference: CellResult | undefined, model: BenchModel): CellResult['parity'] {
  if (cell.status !== 'ok') return undefined;
  if (model.kind === 'task') {
    const verdict = benchTask(model.task).parity(cell.summaries ?? {}, reference?.summaries, model.groundTruth);
    return verdict ? { reference: reference?.id ?? 'none', ...verdict } : undefined;
  }

  if (!reference) return undefined; // the reference target was not part of this run
  const values = (c: CellResult): OutputValues[] =>
    (c.outputs ?? []).map((o) => outputValues(o.name, readTensorFile(o.file, o.dtype, o.dims)));
  return tensorParity(values(cell), values(reference), reference.id, TOLERANCE);
}

/** Runs the matrix, one isolated cell at a time, and returns the report (the caller writes it). */
export async function runBenchmark(options: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  const say = options.progress ?? (() => undefined);
  const settings = settingsFor(options);
  const timeoutS = options.timeoutS ?? (options.quick ? 60 : 120);
  const outputDir = resolve(options.out, 'outputs');
  mkdirSync(outputDir, { recursive: true });

  const task = options.task === undefined ? undefined : benchTask(options.task);
  if (task && !task.needsModel)
    throw new Error(
      `--task ${task.name} runs the bundled models; --task takes a task for your model (${Object.values(BENCH_TASKS)
        .filter((t) => t.needsModel)
        .map((t) => t.name)
        .join(', ')})`,
    );
  if (task && (options.userModels ?? []).length === 0)
    throw new Error(`--task ${task.name} benchmarks your model: give it with --model`);
  const users = (options.userModels ?? []).map((m) =>
    task ? userTaskModel(task.name, m.path, options.taskImages) : userModel(m.path, m, options.seed ?? 1),
  );
  // `--model` alone benches the user's models only; `--models` adds built-in ones by name.
  let models = users.length > 0 && !options.models ? users : [...(await builtinModels(options.ocrImages)), ...users];
  const wanted = options.models ?? (options.quick && users.length === 0 ? QUICK_MODELS : undefined);
  if (wanted) {
    const unknown = wanted.filter((name) => !models.some((m) => modelNamed(m, name)));
    if (unknown.length)
      throw new Error(
        `unknown model(s): ${unknown.join(', ')}; known: ${models.map((m) => (m.kind === 'tensor' && m.aliases?.length ? `${m.id} (${m.aliases.join(', ')})` : m.id)).join(', ')}`,
      );
    models = models.filter(
      (m) =>
        wanted.some((name) => modelNamed(m, name)) ||
        (options.userModels ?? []).some((u) => resolve(u.path) === (m.kind === 'tensor' ? m.path : m.modelPath)),
    );
  }
  if (options.quick) models = models.map((m) => (m.kind === 'task' ? { ...m, images: m.images.slice(0, 2) } : m));
  models = await Promise.all(
    models.map((m) => prepareImageInputs(prepareUserInputs(m, join(outputDir, 'inputs')), join(outputDir, 'inputs'))),
  );
  const remote = (options.targets ?? []).map(remoteTarget).filter((t): t is Target => t !== undefined);
  const local = (options.targets ?? []).filter((f) => !remoteTarget(f));
  // Only remote targets named: no local ones (an empty filter would otherwise mean all of them).
  const known = await allTargets();
  const targets = [
    ...(options.targets && local.length === 0 ? [] : known.filter((t) => matchesTarget(local, t))),
    ...remote,
  ];
  if (targets.length === 0)
    throw new Error(
      `no backend:device matches ${options.targets?.join(', ')}; known: ${known.map(targetName).join(', ')}`,
    );

  say(`probing ${targets.length} backend:device targets…`);
  const { status, chromium } = await probeTargets(targets, options.browser ?? true);

  const cells: CellResult[] = [];
  const plan: { spec: CellSpec; target: Target }[] = [];
  for (const model of models) {
    for (const target of targets) {
      const id = `${model.id}__${targetKey(target)}`;
      const base = {
        id,
        model: model.id,
        backend: target.backend,
        device: target.device,
        environment: target.environment,
        ...(target.url ? { url: target.url } : {}),
        wallMs: 0,
      } as const;
      const s = status.get(target);
      if (!s?.ok) cells.push({ ...base, status: 'unavailable', reason: s?.reason ?? 'not probed' });
      else if (
        (s.software || target.slow !== undefined) &&
        !options.allWebgpu &&
        (model.kind === 'task' || !model.lightForSoftwareGpu || (options.quick && model.id !== 'ppocr-cls-192'))
      ) {
        const why = s.software
          ? 'on a software GPU (SwiftShader)'
          : `on ${target.backend}:${target.device} (${target.slow})`;
        cells.push({
          ...base,
          status: 'skipped',
          reason: `too slow ${why} for the ${options.quick ? 'quick' : 'default'} run; --all-slow runs it`,
        });
      } else
        plan.push({
          spec: {
            id,
            model,
            backend: target.backend,
            device: target.device,
            environment: target.environment,
            ...(target.url ? { url: target.url } : {}),
            settings,
            outputDir,
          },
          target,
        });
    }
  }
  // The reference cell of each model runs first, so parity can be computed as the others finish.
  const isReference = (t: Target): boolean => targetName(t) === targetName(REFERENCE);
  plan.sort((a, b) => Number(isReference(b.target)) - Number(isReference(a.target)));

  const cellStarted = performance.now();
  for (const [index, { spec, target }] of plan.entries()) {
    const elapsed = (performance.now() - cellStarted) / 1000;
    const eta = index === 0 ? '' : `, ETA ~${Math.round((elapsed / index) * (plan.length - index))} s`;
    say(
      `[${index + 1}/${plan.length}] ${spec.model.id} × ${targetName(target)} (${Math.round(elapsed)} s elapsed${eta})`,
    );
    const result =
      target.environment === 'node'
        ? await runNodeCell(spec, timeoutS * 1000)
        : await runBrowserCell(spec, timeoutS * 1000);
    const reference = cells.find(
      (c) =>
        c.model === spec.model.id &&
        c.backend === REFERENCE.backend &&
        c.device === REFERENCE.device &&
        c.environment === REFERENCE.environment,
    );
    if (target.url) result.url = target.url;
    const parity = parityOf(result, reference ?? (isReference(target) ? result : undefined), spec.model);
    if (parity) result.parity = parity;
    cells.push(result);
    const p50 = result.steady ? ` p50 ${result.steady.p50.toFixed(1)} ms` : '';
    say(`      ${result.status}${p50}${result.reason ? ` — ${result.reason}` : ''}`);
  }

  const order = new Map(plan.map((p, i) => [p.spec.id, i]));
  cells.sort(
    (a, b) =>
      models.findIndex((m) => m.id === a.model) - models.findIndex((m) => m.id === b.model) ||
      (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9),
  );
  return {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    machine: machineInfo(chromium),
    settings: { ...settings, quick: options.quick, timeoutS },
    models: models.map((m) => ({ id: m.id, title: m.title, kind: m.kind })),
    cells,
  };
}
