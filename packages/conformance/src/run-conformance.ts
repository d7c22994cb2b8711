import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { readModelSignature } from '@polyinfer/ort-common';
import type { CaseJob, CaseOutcome } from './case-outcome.js';
import type { OnnxTestCase } from './onnx-test-cases.js';
import { WorkerLane } from './worker-lane.js';
import type { CaseLane } from './case-lane.js';
import type { BrowserHost } from './browser-lane.js';
import { BrowserLane, isBrowserTarget, startBrowserHost } from './browser-lane.js';

/** A case as the report describes it: where it belongs and which op it tests. */
export interface CaseInfo {
  id: string;
  suite: string;
  /** The op the case tests (its one op type; for a graph of several, the one its name starts with, else "(graph)"). */
  opType: string;
  /** The ai.onnx opset the model imports. */
  opset: number;
}

export interface TargetInfo {
  name: string;
  /** Why the target could not run here (then it has no outcomes). */
  unavailable?: string;
}

export interface ConformanceReport {
  date: string;
  versions: Record<string, string>;
  dataDirs: string[];
  targets: TargetInfo[];
  cases: CaseInfo[];
  /** target → case id → outcome. */
  outcomes: Record<string, Record<string, CaseOutcome>>;
}

export interface ConformanceRunOptions {
  cases: readonly OnnxTestCase[];
  targets: readonly string[];
  dataDirs: readonly string[];
  /** Worker processes per target (default 2). */
  jobs?: number;
  /** A case's time limit (default 120 s: generous, so a busy machine does not turn slow into failed). */
  timeoutMs?: number;
  onOutcome?: (target: string, id: string, outcome: CaseOutcome, done: number, total: number) => void;
  /** Node targets: keep each lane's process after a case that does not pass (to measure isolation). Default false. */
  sameProcess?: boolean;
}

const snake = (op: string): string =>
  op
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();

/**
 * The op a case tests: its graph's one op type; for a graph of several (an "_expanded" function body, a small net),
 * the op type, among its own and those single-op cases test, that its name starts with.
 */
function opTypeOf(name: string, opTypes: readonly string[], knownOps: ReadonlySet<string>): string {
  const distinct = [...new Set(opTypes)];
  if (distinct.length === 1) return distinct[0] as string;
  const bare = name.replace(/^test_/, '').toLowerCase();
  const startsWith = (op: string): boolean => bare === snake(op) || bare.startsWith(`${snake(op)}_`);
  const named = [...new Set([...distinct, ...knownOps])]
    .filter(startsWith)
    .sort((a, b) => snake(b).length - snake(a).length)[0];
  return named ?? '(graph)';
}

interface PreparedCase {
  info: CaseInfo;
  job: CaseJob;
  /** Decided without running: a graph input or output polyinfer's Tensor cannot hold. */
  unheld?: string;
}

function prepareAll(cases: readonly OnnxTestCase[]): PreparedCase[] {
  const signatures = cases.map((c) => readModelSignature(readFileSync(c.modelPath)));
  const knownOps = new Set(
    signatures.flatMap((s) =>
      s && new Set(s.nodes.map((n) => n.opType)).size === 1 ? [s.nodes[0]?.opType as string] : [],
    ),
  );
  return cases.map((testCase, i) => {
    const signature = signatures[i];
    const nonTensor = [...(signature?.inputs ?? []), ...(signature?.outputs ?? [])].find((v) => v.kind !== 'tensor');
    return {
      info: {
        id: testCase.id,
        suite: testCase.suite,
        opType: opTypeOf(testCase.name, signature?.nodes.map((n) => n.opType) ?? [], knownOps),
        opset: signature?.opsets.get('') ?? 0,
      },
      job: {
        id: testCase.id,
        modelPath: testCase.modelPath,
        dataSets: testCase.dataSets,
        inputNames: signature?.inputs.map((v) => v.name) ?? [],
        outputNames: signature?.outputs.map((v) => v.name) ?? [],
      },
      ...(signature === undefined
        ? { unheld: 'the model does not decode' }
        : nonTensor
          ? { unheld: `${nonTensor.name} is a ${nonTensor.kind}` }
          : {}),
    };
  });
}

/** An installed package's version: its package.json, found above its entry point (exports maps may hide the file). */
function versionOf(pkg: string, from: string = import.meta.url): string {
  try {
    let dir = dirname(createRequire(from).resolve(pkg));
    for (; dir !== dirname(dir); dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
        if (json.name === pkg) return json.version;
      }
    }
  } catch {
    // not installed here
  }
  return 'not installed';
}

/** Every case on every target, each target's cases spread over `jobs` worker lanes. */
export async function runConformance(options: ConformanceRunOptions): Promise<ConformanceReport> {
  const prepared = prepareAll(options.cases);
  const report: ConformanceReport = {
    date: new Date().toISOString(),
    versions: {
      node: process.versions.node,
      'onnxruntime-node': versionOf('onnxruntime-node'),
      'onnxruntime-web': versionOf('onnxruntime-web'),
      '@tensorflow/tfjs-core': versionOf(
        '@tensorflow/tfjs-core',
        createRequire(import.meta.url).resolve('@polyinfer/backend-tfjs'),
      ),
    },
    dataDirs: [...options.dataDirs],
    targets: [],
    cases: prepared.map((p) => p.info),
    outcomes: {},
  };
  for (const target of options.targets) {
    const outcomes: Record<string, CaseOutcome> = {};
    report.outcomes[target] = outcomes;
    const info: TargetInfo = { name: target };
    report.targets.push(info);
    let done = 0;
    const record = (id: string, outcome: CaseOutcome): void => {
      outcomes[id] = outcome;
      options.onOutcome?.(target, id, outcome, ++done, prepared.length);
    };
    for (const p of prepared) if (p.unheld) record(p.info.id, { status: 'unheld', detail: p.unheld, ms: 0 });
    const queue = prepared.filter((p) => !p.unheld);
    const laneCount = Math.max(1, Math.min(options.jobs ?? 2, queue.length));
    const timeoutMs = options.timeoutMs ?? 120_000;
    let host: BrowserHost | undefined;
    let lanes: CaseLane[] = [];
    try {
      if (isBrowserTarget(target)) {
        host = await startBrowserHost(
          target,
          queue.map((p) => p.job.modelPath),
        );
        report.versions.chromium ??= host.rig.browser.version();
        const browserHost = host;
        lanes = Array.from({ length: laneCount }, () => new BrowserLane(browserHost, timeoutMs));
      } else {
        lanes = Array.from(
          { length: laneCount },
          () => new WorkerLane(target, timeoutMs, options.sameProcess === true),
        );
      }
      await Promise.all(
        lanes.map(async (lane) => {
          for (let next = queue.shift(); next; next = queue.shift()) record(next.info.id, await lane.run(next.job));
        }),
      );
    } catch (error) {
      // The target's runtime would not load: no case ran on it, and the report says why.
      info.unavailable = error instanceof Error ? error.message : String(error);
      report.outcomes[target] = {};
    } finally {
      for (const lane of lanes) await lane.close();
      await host?.close();
    }
  }
  return report;
}
