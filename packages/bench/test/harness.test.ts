import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from '@polyinfer/core';
import { launchChromium } from '@polyinfer/browser-rig';
import type { BenchReport } from '../src/bench-cli.js';
import { htmlReport, markdownReport, reportProblems, runBenchCli, runBenchmark } from '../src/bench-cli.js';
import { readFloats } from '../src/harness/float-file.js';

const MINUTE = 60_000;
const out = mkdtempSync(join(tmpdir(), 'bench-'));
let report: BenchReport;

// A small real run: two models, the reference target, ort-web wasm in Node, and cuda (unavailable here).
beforeAll(async () => {
  const userModel = join(out, 'tiny.onnx');
  writeFileSync(
    userModel,
    buildOnnxModel({
      inputs: [{ name: 'x', dtype: 'float32', dims: ['N', 8] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: ['N', 8] }],
      nodes: [{ op: 'Sigmoid', inputs: ['x'], outputs: ['y'] }],
    }),
  );
  writeFileSync(join(out, 'broken.onnx'), 'not a model');
  report = await runBenchmark({
    quick: true,
    out,
    models: ['ppocr-cls-192', 'squeezenet'],
    targets: ['ort-node:cpu', 'ort-web:wasm@node', 'ort-node:cuda'],
    userModels: [
      { path: userModel, shapes: ['x=4x8'] },
      { path: join(out, 'broken.onnx'), shapes: [] },
    ],
    browser: false,
  });
}, 3 * MINUTE);

describe('benchmark harness', () => {
  it('writes a report that fits the schema', () => {
    expect(reportProblems(report)).toEqual([]);
    expect(reportProblems({ ...report, schema: 'other' })).not.toEqual([]);
    const broken = { ...report, cells: [{ ...report.cells[0], status: 'unavailable', reason: undefined }] };
    expect(reportProblems(JSON.parse(JSON.stringify(broken)))).not.toEqual([]);
  });

  it('measures every phase of a cell that ran', () => {
    const cell = report.cells.find((c) => c.model === 'ppocr-cls-192' && c.backend === 'ort-node' && c.device === 'cpu');
    expect(cell?.status).toBe('ok');
    expect(cell?.sessionCreateMs).toBeGreaterThan(0);
    expect(cell?.firstInferenceMs).toBeGreaterThan(0);
    expect(cell?.steady?.count).toBeGreaterThanOrEqual(5);
    expect(cell?.steady?.p50).toBeLessThanOrEqual(cell?.steady?.p99 as number);
    expect(cell?.concurrency?.map((p) => p.inFlight)).toEqual([1, 2, 4]);
    expect(cell?.memory?.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(cell?.parity).toMatchObject({ reference: cell?.id, pass: true, maxAbsDiff: 0 });
  });

  it('checks parity of every cell against ort-node:cpu, re-weighted CNNs included', () => {
    for (const model of ['ppocr-cls-192', 'squeezenet']) {
      const web = report.cells.find((c) => c.model === model && c.backend === 'ort-web');
      expect(web?.status).toBe('ok');
      // Measured for every backend: ort-web queues runs per session, so more in flight is no faster.
      expect(web?.concurrency?.map((p) => p.inFlight)).toEqual([1, 2, 4]);
      expect(web?.parity?.pass).toBe(true);
      expect(web?.parity?.relativeDiff).toBeLessThanOrEqual(1e-4);
      expect(web?.parity?.problem).toBeUndefined();
    }
    // The classifier read a real line of text: its output is a decision, not the flat answer to noise.
    const cls = report.cells.find((c) => c.model === 'ppocr-cls-192' && c.backend === 'ort-node');
    const probabilities = readFloats(cls?.outputs?.[0]?.file as string);
    expect(Math.max(...probabilities) - Math.min(...probabilities)).toBeGreaterThan(0.5);
    // Re-weighted: the outputs are no longer the uniform 1/1000 of the constant-weight model.
    const reference = report.cells.find((c) => c.model === 'squeezenet' && c.backend === 'ort-node');
    const values = readFloats(reference?.outputs?.[0]?.file as string);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(1e-3);
  });

  it('lists unavailable devices with their reason instead of dropping them', () => {
    const cuda = report.cells.filter((c) => c.device === 'cuda');
    expect(cuda).toHaveLength(4);
    for (const c of cuda) {
      expect(c.status).toBe('unavailable');
      expect(c.reason).toMatch(/cuda provider libraries not installed/);
    }
  });

  it('runs a user model with the shapes given, and reports one that does not load as an error', () => {
    const tiny = report.cells.find((c) => c.model === 'tiny' && c.backend === 'ort-node');
    expect(tiny?.status).toBe('ok');
    expect(tiny?.outputs?.[0]?.dims).toEqual([4, 8]);
    const broken = report.cells.filter((c) => c.model === 'broken');
    expect(broken.map((c) => c.status)).toEqual(['error', 'error', 'unavailable']);
    expect(broken[0]?.reason).toMatch(/protobuf parsing failed/i);
  });

  it('report.md has a row per cell', () => {
    const md = markdownReport(report);
    expect(md).toContain('## PP-OCR cls 48×192');
    expect(md.match(/^\| ort-node:cuda \| unavailable: /gm)).toHaveLength(4);
  });

  it('fails early, naming the known models, for an unknown model id', async () => {
    await expect(runBenchmark({ quick: true, out, models: ['resnet9000'], browser: false })).rejects.toThrow(/unknown model\(s\): resnet9000; known: ppocr-det-640/);
  });
});

describe('report.html', () => {
  it('opens in Chromium and shows a latency and a memory chart per model', { timeout: 2 * MINUTE }, async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.newPage();
      await page.setContent(htmlReport(report));
      const ranPerModel = (id: string) => report.cells.filter((c) => c.model === id && c.status === 'ok').length;
      const charts = await page.$$eval('section', (sections) =>
        sections.map((s) => ({ title: s.querySelector('h2')?.textContent, latencyBars: s.querySelectorAll('svg[aria-label=latency] rect.bar').length, whiskers: s.querySelectorAll('svg[aria-label=latency] line.whisker').length, memoryBars: s.querySelectorAll('svg[aria-label=memory] rect.bar').length })),
      );
      expect(charts.find((c) => c.title === 'PP-OCR cls 48×192')).toEqual({ title: 'PP-OCR cls 48×192', latencyBars: ranPerModel('ppocr-cls-192'), whiskers: ranPerModel('ppocr-cls-192'), memoryBars: ranPerModel('ppocr-cls-192') });
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('.not-run li').first().textContent()).toMatch(/unavailable/);
    } finally {
      await browser.close();
    }
  });
});

describe('polyinfer bench compare', () => {
  const steady = (p50: number) => ({ count: 10, min: p50, p50, p90: p50, p95: p50, p99: p50, max: p50, mean: p50, stddev: 0, throughput: 1000 / p50, complete: true, wallMs: 10 * p50 });
  const cell = (id: string, p50: number, status = 'ok') => ({
    id,
    model: id.split('__')[0],
    backend: 'ort-node',
    device: 'cpu',
    environment: 'node',
    status,
    wallMs: 1,
    ...(status === 'ok' ? { steady: steady(p50), sessionCreateMs: 1, firstInferenceMs: 1 } : { reason: 'gone' }),
  });
  const make = (cells: object[]) => ({ ...report, cells });

  it('prints B/A per cell and fails on a regression beyond the threshold', async () => {
    const a = join(out, 'a.json');
    const b = join(out, 'b.json');
    writeFileSync(a, JSON.stringify(make([cell('m1__x', 10), cell('m2__x', 10), cell('m3__x', 10)])));
    writeFileSync(b, JSON.stringify(make([cell('m1__x', 10.5), cell('m2__x', 12), cell('m3__x', 0, 'error')])));
    let text = '';
    const code = await runBenchCli(['compare', a, b], { out: (s) => (text += s), err: () => undefined });
    expect(code).toBe(1);
    expect(text).toMatch(/\| m1 \| ort-node:cpu \| 10.00 \| 10.50 \| 1.050 \| {2}\|/);
    expect(text).toMatch(/\| m2 \| ort-node:cpu \| 10.00 \| 12.00 \| 1.200 \| regression/);
    expect(text).toMatch(/\| m3 \| .* ok → error \| regression/);
    expect(text).toContain('2 regression(s)');
    const same = await runBenchCli(['compare', a, a, '--threshold', '0.05'], { out: () => undefined, err: () => undefined });
    expect(same).toBe(0);
  });

  it('refuses a file that is not a report', async () => {
    const junk = join(out, 'junk.json');
    writeFileSync(junk, '{"schema":"something else"}');
    await expect(runBenchCli(['compare', junk, junk], { out: () => undefined, err: () => undefined })).rejects.toThrow(/not a valid polyinfer-bench\/1 report/);
  });
});

describe('targets', () => {
  it('come from the backends\' own device tables, in each environment a device can exist in', async () => {
    const { ALL_TARGETS } = await import('../src/harness/targets.js');
    const { ORT_NODE_DEVICES } = await import('@polyinfer/backend-ort-node/base');
    const { TFJS_DEVICES } = await import('@polyinfer/backend-tfjs/base');
    const names = ALL_TARGETS.map((t) => `${t.backend}:${t.device}@${t.environment}`);
    for (const d of ORT_NODE_DEVICES) expect(names).toContain(`ort-node:${d.name}@node`);
    expect(names.filter((n) => n.startsWith('ort-node:') && n.endsWith('@chromium'))).toEqual([]);
    for (const d of TFJS_DEVICES) {
      for (const environment of d.environments ?? []) expect(names).toContain(`tfjs:${d.name}@${environment === 'node' ? 'node' : 'chromium'}`);
    }
    expect(names).not.toContain('tfjs:webgl@node');
    expect(names).toContain('ort-web:webgpu@chromium');
  });
});

describe('tensor parity can fail', () => {
  const out = (name: string, dims: number[], values: number[]) => ({ name, dims, data: Float32Array.from(values) });
  const reference = [out('map', [1, 4], [0.02, 0.91, 0.5, 0.003])];

  it('passes the same values, and fails values off by more than 1e-4 of the range', async () => {
    const { tensorParity } = await import('../src/harness/tensor-parity.js');
    expect(tensorParity([out('map', [1, 4], [0.02, 0.91, 0.50000001, 0.003])], reference, 'ref', 1e-4)).toMatchObject({ pass: true });
    const off = tensorParity([out('map', [1, 4], [0.02, 0.91, 0.5002, 0.003])], reference, 'ref', 1e-4);
    expect(off.pass).toBe(false);
    expect(off.relativeDiff).toBeCloseTo(0.0002 / 0.907, 6);
  });

  it('fails a backend that returns zeros for a real detection map (an absolute 1e-4 tolerance on a near-zero map passed it)', async () => {
    const { tensorParity } = await import('../src/harness/tensor-parity.js');
    expect(tensorParity([out('map', [1, 4], [0, 0, 0, 0])], reference, 'ref', 1e-4).pass).toBe(false);
    // A flat reference is no evidence either way: reported, not passed.
    const flat = tensorParity([out('map', [1, 4], [0, 0, 0, 0])], [out('map', [1, 4], [2e-7, 1e-7, 2e-7, 1e-7])], 'ref', 1e-4);
    expect(flat).toMatchObject({ pass: false, problem: "the reference's map is flat (range 1.0e-7): nothing to compare" });
  });

  it('fails an empty output list, a missing or extra output, other dims, and NaN', async () => {
    const { tensorParity } = await import('../src/harness/tensor-parity.js');
    expect(tensorParity([], reference, 'ref', 1e-4)).toMatchObject({ pass: false, problem: 'the cell returned no outputs' });
    expect(tensorParity([out('other', [1, 4], [0.02, 0.91, 0.5, 0.003])], reference, 'ref', 1e-4)).toMatchObject({ pass: false, problem: "outputs other differ from the reference's map" });
    expect(tensorParity([out('map', [4, 1], [0.02, 0.91, 0.5, 0.003])], reference, 'ref', 1e-4)).toMatchObject({ pass: false, problem: 'output map has dims [4, 1], the reference [1, 4]' });
    expect(tensorParity([out('map', [1, 4], [0.02, Number.NaN, 0.5, 0.003])], reference, 'ref', 1e-4).pass).toBe(false);
  });
});

describe('peak RSS sampling', () => {
  it('sees memory that a synchronous stretch of the main thread allocates and frees (a main-thread timer would not)', async () => {
    const { startRssSampler } = await import('../src/harness/rss-sampler.js');
    const sampler = startRssSampler(2);
    await new Promise((r) => setTimeout(r, 50)); // the worker is running
    const before = process.memoryUsage.rss();
    // ~400 MB touched and dropped without yielding to the event loop, as a synchronous tfjs run would.
    let block: Uint8Array | undefined = new Uint8Array(400 * 1024 * 1024).fill(1);
    const busyUntil = performance.now() + 1000;
    while (performance.now() < busyUntil) block[Math.floor(Math.random() * block.length)] = 2;
    block = undefined;
    globalThis.gc?.();
    const peak = await sampler.stop();
    expect(peak - before).toBeGreaterThan(300 * 1024 * 1024);
  });
});
