import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rateHolds } from '@polyinfer/bench-core';
import { buildOnnxModel } from '@polyinfer/core';
import { launchChromium } from '@polyinfer/browser-rig';
import type { BenchReport } from '../src/bench-cli.js';
import type { CellResult } from '../src/harness/cell.js';
import { htmlReport, markdownReport, reportProblems, runBenchCli, runBenchmark } from '../src/bench-cli.js';
import { readFloats, readTensorFile } from '../src/harness/tensor-file.js';

const MINUTE = 60_000;

/** A NumPy .npy file (format 1.0) of int64 values, as numpy.save writes it. */
function npyInt64(shape: number[], values: bigint[]): Buffer {
  let header = `{'descr': '<i8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header = header.padEnd(64 - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(BigInt64Array.from(values).buffer)]);
}
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
  // A model with integer inputs (token ids into a 4-row table) and an integer output: fed ids inside the table.
  const lookup = {
    inputs: [{ name: 'ids', dtype: 'int64' as const, dims: ['N', 5] }],
    outputs: [
      { name: 'vectors', dtype: 'float32' as const, dims: ['N', 5, 3] },
      { name: 'best', dtype: 'int64' as const, dims: ['N', 5] },
    ],
    initializers: [
      {
        name: 'table',
        dtype: 'float32' as const,
        dims: [4, 3],
        data: Float32Array.from([0.1, 0.9, 0.3, 0.5, 0.2, 0.8, 0.7, 0.4, 0.1, 0.2, 0.3, 0.6]),
      },
    ],
    nodes: [
      { op: 'Gather', inputs: ['table', 'ids'], outputs: ['vectors'] },
      { op: 'ArgMax', inputs: ['vectors'], outputs: ['best'], attributes: { axis: 2, keepdims: 0 } },
    ],
  };
  writeFileSync(join(out, 'lookup.onnx'), buildOnnxModel(lookup));
  writeFileSync(join(out, 'lookup-npy.onnx'), buildOnnxModel(lookup));
  writeFileSync(join(out, 'ids.npy'), npyInt64([2, 5], [0n, 1n, 2n, 3n, 3n, 3n, 2n, 1n, 0n, 0n]));
  report = await runBenchmark({
    quick: true,
    out,
    models: ['ppocr-cls-192', 'squeezenet'],
    targets: ['ort-node:cpu', 'ort-web:wasm@node', 'ort-node:cuda'],
    userModels: [
      { path: userModel, shapes: ['x=4x8'] },
      { path: join(out, 'broken.onnx'), shapes: [] },
      { path: join(out, 'lookup.onnx'), shapes: ['ids=2x5'], ranges: ['ids=0..3'] },
      { path: join(out, 'lookup-npy.onnx'), shapes: [], npy: [`ids=${join(out, 'ids.npy')}`] },
    ],
    browser: false,
  });
  // Eighteen cells, each a child process with its own timeout: minutes on a busy 2-core machine (over 3 in one CI run
  // that shared the cores with another test run), seconds on an idle one.
}, 10 * MINUTE);

describe('benchmark harness', () => {
  it('writes a report that fits the schema', () => {
    expect(reportProblems(report)).toEqual([]);
    expect(reportProblems({ ...report, schema: 'other' })).not.toEqual([]);
    const broken = { ...report, cells: [{ ...report.cells[0], status: 'unavailable', reason: undefined }] };
    expect(reportProblems(JSON.parse(JSON.stringify(broken)))).not.toEqual([]);
  });

  it('measures every phase of a cell that ran', () => {
    const cell = report.cells.find(
      (c) => c.model === 'ppocr-cls-192' && c.backend === 'ort-node' && c.device === 'cpu',
    );
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
    const probabilities = readFloats(cls?.outputs?.[0]?.file as string, cls?.outputs?.[0]?.dims as number[]);
    expect(Math.max(...probabilities) - Math.min(...probabilities)).toBeGreaterThan(0.5);
    // Re-weighted: the outputs are no longer the uniform 1/1000 of the constant-weight model.
    const reference = report.cells.find((c) => c.model === 'squeezenet' && c.backend === 'ort-node');
    const values = readFloats(reference?.outputs?.[0]?.file as string, reference?.outputs?.[0]?.dims as number[]);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(1e-3);
  });

  it('lists unavailable devices with their reason instead of dropping them', () => {
    const cuda = report.cells.filter((c) => c.device === 'cuda');
    expect(cuda).toHaveLength(6);
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

  it("benches a model with integer inputs: seeded inside --input-range, or a .npy file's values; integer outputs compared exactly", () => {
    for (const model of ['lookup', 'lookup-npy']) {
      const cells = report.cells.filter((c) => c.model === model && c.device !== 'cuda');
      expect(
        cells.map((c) => `${c.backend}:${c.status}`),
        model,
      ).toEqual(['ort-node:ok', 'ort-web:ok']);
      const best = cells[0]?.outputs?.find((o) => o.name === 'best');
      expect(best?.dtype).toBe('int64');
      expect(cells[1]?.parity, model).toMatchObject({ pass: true });
    }
    const npyBest = report.cells
      .find((c) => c.model === 'lookup-npy' && c.backend === 'ort-node')
      ?.outputs?.find((o) => o.name === 'best');
    // Table rows 0..3 have their largest value at columns 1, 2, 0, 2: the ids of the .npy file, looked up.
    expect([...(readTensorFile(npyBest?.file as string, 'int64', [2, 5]).data as BigInt64Array)]).toEqual([
      1n,
      2n,
      0n,
      2n,
      2n,
      2n,
      0n,
      2n,
      1n,
      1n,
    ]);
  });

  it('report.md has a row per cell', () => {
    const md = markdownReport(report);
    expect(md).toContain('## PP-OCR cls 48×192');
    expect(md.match(/^\| ort-node:cuda \| unavailable: /gm)).toHaveLength(6);
  });

  it('report.md puts a backend measured in Node and in Chromium side by side as a ratio', () => {
    const node = report.cells.find(
      (c) => c.model === 'ppocr-cls-192' && c.backend === 'ort-web' && c.environment === 'node' && c.steady,
    );
    const steady = node?.steady as NonNullable<CellResult['steady']>;
    const browser: CellResult = {
      ...(node as CellResult),
      id: 'ppocr-cls-192__ort-web-wasm-chromium',
      environment: 'chromium',
      steady: { ...steady, p50: steady.p50 * 2.5, mean: steady.mean * 0.5 },
    };
    const md = markdownReport({ ...report, cells: [...report.cells, browser] });
    expect(md).toContain('| backend:device | Chromium ÷ Node p50 | Chromium ÷ Node mean |');
    expect(md).toContain('| ort-web:wasm | 2.50 | 0.50 |');
    expect(markdownReport(report)).not.toContain('Chromium ÷ Node');
  });

  it('fails early, naming the known models, for an unknown model id', async () => {
    await expect(runBenchmark({ quick: true, out, models: ['resnet9000'], browser: false })).rejects.toThrow(
      /unknown model\(s\): resnet9000; known: ppocr-det-640/,
    );
  });
});

describe('report.html', () => {
  it(
    'opens in Chromium as a page people read: machine header, summary, charts and tables that sort, no console errors',
    { timeout: 2 * MINUTE },
    async () => {
      const browser = await launchChromium({ webgpu: false });
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        await page.setContent(htmlReport(report));
        const ranPerModel = (id: string) => report.cells.filter((c) => c.model === id && c.status === 'ok').length;
        const charts = await page.$$eval('section[id^=model-]', (sections) =>
          sections.map((s) => ({
            title: s.querySelector('h2')?.textContent,
            latencyBars: s.querySelectorAll('svg[aria-label=latency] rect.bar').length,
            whiskers: s.querySelectorAll('svg[aria-label=latency] line.whisker').length,
            memoryBars: s.querySelectorAll('svg[aria-label=memory] rect.bar').length,
            tableRows: s.querySelectorAll('table.sortable')[0]?.querySelectorAll('tbody tr').length,
          })),
        );
        const cells = (id: string) => report.cells.filter((c) => c.model === id).length;
        expect(charts.find((c) => c.title === 'PP-OCR cls 48×192')).toEqual({
          title: 'PP-OCR cls 48×192',
          latencyBars: ranPerModel('ppocr-cls-192'),
          whiskers: ranPerModel('ppocr-cls-192'),
          memoryBars: ranPerModel('ppocr-cls-192'),
          tableRows: cells('ppocr-cls-192'),
        });
        // The machine and the versions, in a header.
        const header = await page.locator('table.machine').textContent();
        expect(header).toContain(report.machine.node);
        expect(header).toContain(`onnxruntime-node${report.machine.libraries['onnxruntime-node']}`);
        // A summary per model on top: the fastest target, ratios to the reference, parity, what did not run.
        const summary = page.locator('#summary table.summary tbody tr');
        expect(await summary.count()).toBe(report.models.length);
        const clsRow = summary.filter({ hasText: 'PP-OCR cls 48×192' });
        expect(await clsRow.locator('td').nth(2).textContent()).toMatch(/×/);
        expect(await clsRow.locator('td').nth(3).textContent()).toMatch(/agree|✗/);
        expect(await page.locator('#summary table.not-run-table').textContent()).toMatch(/unavailable/);
        // Sorting: a click on p50 orders the model's rows by it, a second click reverses them.
        const table = page.locator('section[id=model-ppocr-cls-192] table.sortable').first();
        const p50s = async () =>
          table
            .locator('tbody tr:not(.not-run)')
            .evaluateAll((rows) => rows.map((r) => Number((r.children[4] as HTMLElement).dataset.value)));
        await table.locator('thead th', { hasText: 'p50' }).locator('button').click();
        const ascending = await p50s();
        expect(ascending.length).toBeGreaterThan(1);
        expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
        await table.locator('thead th', { hasText: 'p50' }).locator('button').click();
        expect(await p50s()).toEqual([...ascending].reverse());
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  it('draws latencies that span decades on a log axis, labelled by decade', () => {
    const steady = (p50: number) => ({
      ...report.cells.find((c) => c.steady)!.steady!,
      min: p50,
      p50,
      p90: p50,
      p99: p50,
    });
    const wide: BenchReport = {
      ...report,
      models: [{ id: 'm', title: 'M', kind: 'tensor' }],
      cells: [
        { ...report.cells[0]!, id: 'a', model: 'm', status: 'ok', steady: steady(0.5) },
        { ...report.cells[0]!, id: 'b', model: 'm', status: 'ok', steady: steady(400) },
      ],
    };
    const html = htmlReport(wide);
    expect(html).toMatch(/aria-label="latency" data-scale="log"/);
    expect(html).toContain('ms (log scale)');
    for (const decade of ['>0.1<', '>1<', '>10<', '>100<', '>1000<']) expect(html).toContain(decade);
    const narrow = htmlReport({ ...wide, cells: [wide.cells[0]!, { ...wide.cells[1]!, steady: steady(2) }] });
    expect(narrow).toMatch(/aria-label="latency" data-scale="linear"/);
  });
});

describe('polyinfer bench compare', () => {
  const steady = (p50: number) => ({
    count: 10,
    min: p50,
    p50,
    p90: p50,
    p95: p50,
    p99: p50,
    max: p50,
    mean: p50,
    stddev: 0,
    throughput: 1000 / p50,
    complete: true,
    wallMs: 10 * p50,
    stable: true,
    spread: 0.01,
    windows: 3,
  });
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
    expect(text).toMatch(/\| m1 \| ort-node:cpu \| single-stream p50 ms \| 10.00 \| 10.50 \| 1.050 \| {2}\|/);
    expect(text).toMatch(/\| m2 \| ort-node:cpu \| single-stream p50 ms \| 10.00 \| 12.00 \| 1.200 \| regression/);
    expect(text).toMatch(/\| m3 \| .* ok → error \| regression/);
    expect(text).toContain('2 regression(s)');
    expect(text).not.toContain('different set-ups');
    const same = await runBenchCli(['compare', a, a, '--threshold', '0.05'], {
      out: () => undefined,
      err: () => undefined,
    });
    expect(same).toBe(0);
  });

  it('says when A and B come from different machines or versions', async () => {
    const a = join(out, 'machine-a.json');
    const b = join(out, 'machine-b.json');
    writeFileSync(a, JSON.stringify(make([cell('m1__x', 10)])));
    const other = {
      ...make([cell('m1__x', 10)]),
      machine: {
        ...report.machine,
        cores: report.machine.cores + 6,
        libraries: { ...report.machine.libraries, 'onnxruntime-node': '9.9.9' },
      },
    };
    writeFileSync(b, JSON.stringify(other));
    let text = '';
    expect(await runBenchCli(['compare', a, b], { out: (s) => (text += s), err: () => undefined })).toBe(0);
    expect(text).toContain('A and B were measured on different set-ups');
    expect(text).toContain(`- cores: ${report.machine.cores} → ${report.machine.cores + 6}`);
    expect(text).toContain(`- onnxruntime-node: ${report.machine.libraries['onnxruntime-node']} → 9.9.9`);
  });

  it('compares the load scenarios too, where higher is better', async () => {
    const withScenarios = (id: string, maxRate: number | null, offline: number) => ({
      ...cell(id, 10),
      server: {
        latencyBoundMs: 40,
        boundSource: 'given',
        workers: 1,
        maxRateUnderBound: maxRate,
        points: [
          {
            offeredRate: 50,
            issued: 50,
            issuedRate: 50,
            completed: 50,
            achievedRate: 50,
            latency: { p50: 1, p90: 2, p99: 3 },
            queue: { p50: 0, p90: 0, p99: 1 },
            compute: { p50: 1, p90: 2, p99: 2 },
            wallMs: 1000,
          },
        ],
      },
      offline: {
        unbatched: { samplesPerCall: 1, calls: 16, inFlight: 1, wallMs: 100, throughput: offline },
        batchedUnavailable: 'fixed',
      },
    });
    const a = join(out, 'sa.json');
    const b = join(out, 'sb.json');
    writeFileSync(a, JSON.stringify(make([withScenarios('m1__x', 100, 200), withScenarios('m2__x', 100, 200)])));
    writeFileSync(b, JSON.stringify(make([withScenarios('m1__x', 80, 210), withScenarios('m2__x', null, 150)])));
    let text = '';
    expect(await runBenchCli(['compare', a, b], { out: (s) => (text += s), err: () => undefined })).toBe(1);
    expect(text).toMatch(
      /\| m1 \| ort-node:cpu \| server max rate under bound \/s \| 100 \| 80.00 \| 0.800 \| regression/,
    );
    expect(text).toMatch(/\| m1 \| ort-node:cpu \| offline samples\/s \| 200 \| 210 \| 1.050 \| {2}\|/);
    expect(text).toMatch(
      /\| m2 \| ort-node:cpu \| server max rate under bound \/s \| 100 \| {2}\| none held in B \| regression/,
    );
    expect(text).toMatch(/\| m2 \| ort-node:cpu \| offline samples\/s \| 200 \| 150 \| 0.750 \| regression/);
    expect(text).toContain('3 regression(s)');
  });

  it('refuses a file that is not a report', async () => {
    const junk = join(out, 'junk.json');
    writeFileSync(junk, '{"schema":"something else"}');
    await expect(runBenchCli(['compare', junk, junk], { out: () => undefined, err: () => undefined })).rejects.toThrow(
      /not a valid polyinfer-bench\/3 report/,
    );
  });
});

describe('load scenarios', () => {
  let scenarios: BenchReport;
  const scenarioOut = mkdtempSync(join(tmpdir(), 'bench-scenarios-'));
  beforeAll(async () => {
    // The issue's own example: the angle classifier by its descriptor id, on ort-node and ort-web in Node.
    let text = '';
    const code = await runBenchCli(
      [
        '--quick',
        '--no-browser',
        '--out',
        scenarioOut,
        '--scenario',
        'server,offline',
        '--models',
        'ppocr-mobile-v2-cls,squeezenet',
        '--backends',
        'ort-node:cpu,ort-web:wasm@node',
        '--rates',
        '20,40',
        '--latency-bound-ms',
        '500',
      ],
      { out: () => undefined, err: (s) => (text += s) },
    );
    expect(code, text).toBe(0);
    const { readFileSync } = await import('node:fs');
    scenarios = JSON.parse(readFileSync(join(scenarioOut, 'report.json'), 'utf8')) as BenchReport;
  }, 4 * MINUTE);

  it('server: per offered rate the achieved rate, p99 with queue and compute apart, and the max rate under the bound', () => {
    expect(reportProblems(scenarios)).toEqual([]);
    for (const c of scenarios.cells.filter((x) => x.status === 'ok')) {
      const server = c.server as NonNullable<typeof c.server>;
      expect(server.boundSource).toBe('given');
      // The rates given, lowest first; the sweep goes on past 20/s unless its runs fell behind (a loaded machine).
      expect(server.points[0]?.offeredRate).toBe(20);
      expect(server.points.map((p) => p.offeredRate)).toEqual([20, 40].slice(0, server.points.length));
      for (const p of server.points) {
        expect(p.completed).toBe(p.issued);
        expect(p.achievedRate).toBeGreaterThan(0);
        expect(p.latency.p99).toBeGreaterThanOrEqual(p.compute.p50);
        expect(p.queue.p50).toBeGreaterThanOrEqual(0);
      }
      // The max is the highest rate that held the bound, or none. (Whether 20/s holds depends on how busy the machine
      // is — a CI box under load has missed a 500 ms p99 — so the test checks the rule, not the figure.)
      const held = server.points.filter((p) => rateHolds(p, 500)).map((p) => p.offeredRate);
      expect(server.maxRateUnderBound ?? null).toBe(held.length > 0 ? Math.max(...held) : null);
      // No concurrency asked for: the scenarios asked for and single-stream, nothing else.
      expect(c.concurrency ?? null).toBeNull();
    }
    const web = scenarios.cells.find((c) => c.model === 'ppocr-cls-192' && c.backend === 'ort-web');
    const max = web?.server?.maxRateUnderBound ?? null;
    expect(markdownReport(scenarios)).toContain(
      `ort-web:wasm: max rate with p99 ≤ 500 ms (given), 1 worker(s): **${max === null ? 'none of the rates offered' : `${max} /s`}**`,
    );
  });

  it('offline: throughput one at a time, and batched where the first dimension is dynamic (rows checked)', () => {
    const cls = scenarios.cells.filter((c) => c.model === 'ppocr-cls-192' && c.status === 'ok');
    expect(cls).toHaveLength(2);
    for (const c of cls) {
      expect(c.offline?.unbatched.throughput).toBeGreaterThan(0);
      expect(c.offline?.batched?.samplesPerCall).toBe(4);
      expect(c.offline?.batchParity?.pass).toBe(true);
    }
    const squeezenet = scenarios.cells.find((c) => c.model === 'squeezenet' && c.status === 'ok');
    expect(squeezenet?.offline?.batchedUnavailable).toBe("the first dimension of input 'data_0' is fixed at 1");
  });

  it('report.html draws latency against offered load, and throughput against concurrency where swept', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.newPage();
      await page.setContent(htmlReport(scenarios));
      const served = scenarios.cells.filter((c) => c.model === 'ppocr-cls-192' && c.server).length;
      const section = page.locator('section', { hasText: 'PP-OCR cls 48×192' });
      expect(await section.locator('svg[aria-label=latency-vs-load] polyline.line').count()).toBe(served);
      expect(await section.locator('svg[aria-label=latency-vs-load] circle.point').count()).toBe(served * 2);
      expect(await section.locator('svg[aria-label=latency-vs-load] line.limit').count()).toBe(served);
      await page.setContent(htmlReport(report));
      const swept = report.cells.filter((c) => c.model === 'ppocr-cls-192' && c.concurrency?.length).length;
      expect(swept).toBeGreaterThan(0);
      expect(
        await page
          .locator('section', { hasText: 'PP-OCR cls 48×192' })
          .locator('svg[aria-label=throughput-vs-concurrency] polyline.line')
          .count(),
      ).toBe(swept);
    } finally {
      await browser.close();
    }
  });
});

describe('a remote v2 endpoint as a target', () => {
  it(
    'benchmarks a served model over REST and gRPC like any other target, parity included; an unreachable one is unavailable',
    { timeout: 4 * MINUTE },
    async () => {
      const { createRegistry } = await import('@polyinfer/core');
      const { registerOrtNodeBackend } = await import('@polyinfer/backend-ort-node/base');
      const { loadServedModels, serve } = await import('@polyinfer/server');
      const registry = createRegistry();
      registerOrtNodeBackend(registry);
      const running = await serve({
        models: await loadServedModels({ registry, specs: ['ppocr-mobile-v2-cls'] }),
        httpPort: 0,
        metricsPort: 0,
        grpcPort: 0,
      });
      try {
        const remoteOut = mkdtempSync(join(tmpdir(), 'bench-remote-'));
        const http = `remote:${running.http.url}`;
        const grpc = `remote:grpc://127.0.0.1:${running.grpc?.port}`;
        // A port nothing listens on: bound, then released.
        const { createServer } = await import('node:net');
        const probe = createServer();
        const closedPort = await new Promise<number>((resolve) =>
          probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
        );
        await new Promise((resolve) => probe.close(resolve));
        const r = await runBenchmark({
          quick: true,
          out: remoteOut,
          browser: false,
          models: ['ppocr-mobile-v2-cls'],
          targets: ['ort-node:cpu', http, grpc, `remote:http://127.0.0.1:${closedPort}`],
          scenarios: ['single-stream'],
        });
        expect(reportProblems(r)).toEqual([]);
        const remote = r.cells.filter((c) => c.backend === 'remote');
        expect(remote.map((c) => [c.device, c.status])).toEqual([
          ['http', 'ok'],
          ['grpc', 'ok'],
          ['http', 'unavailable'],
        ]);
        for (const c of remote.slice(0, 2))
          expect(c.parity).toMatchObject({ reference: 'ppocr-cls-192__ort-node-cpu-node', pass: true });
        expect(remote[2]?.reason).toContain(`127.0.0.1:${closedPort}`);
        expect(markdownReport(r)).toContain(`| remote:http ${running.http.url} | ok`);
      } finally {
        await running.close();
      }
    },
  );
});

describe('targets', () => {
  it("come from the catalogue and the backends' own device tables, in each environment a device can exist in", async () => {
    const { allTargets } = await import('../src/harness/targets.js');
    const ALL_TARGETS = await allTargets();
    const { ORT_NODE_DEVICES } = await import('@polyinfer/backend-ort-node/base');
    const { TFJS_DEVICES } = await import('@polyinfer/backend-tfjs/base');
    const names = ALL_TARGETS.map((t) => `${t.backend}:${t.device}@${t.environment}`);
    for (const d of ORT_NODE_DEVICES) expect(names).toContain(`ort-node:${d.name}@node`);
    expect(names.filter((n) => n.startsWith('ort-node:') && n.endsWith('@chromium'))).toEqual([]);
    for (const d of TFJS_DEVICES) {
      for (const environment of d.environments ?? [])
        expect(names).toContain(`tfjs:${d.name}@${environment === 'node' ? 'node' : 'chromium'}`);
    }
    expect(names).not.toContain('tfjs:webgl@node');
    expect(names).toContain('ort-web:webgpu@chromium');
    // The device says it is slow, and the harness reads that (light models only there by default).
    expect(
      ALL_TARGETS.filter((t) => t.slow !== undefined).map((t) => `${t.backend}:${t.device}@${t.environment}`),
    ).toEqual(['tfjs:cpu@node', 'tfjs:cpu@chromium']);
  });
});

describe('tensor parity can fail', () => {
  const out = (name: string, dims: number[], values: number[]) => ({ name, dims, data: Float32Array.from(values) });
  const reference = [out('map', [1, 4], [0.02, 0.91, 0.5, 0.003])];

  it('passes the same values, and fails values off by more than 1e-4 of the range', async () => {
    const { tensorParity } = await import('../src/harness/tensor-parity.js');
    expect(tensorParity([out('map', [1, 4], [0.02, 0.91, 0.50000001, 0.003])], reference, 'ref', 1e-4)).toMatchObject({
      pass: true,
    });
    const off = tensorParity([out('map', [1, 4], [0.02, 0.91, 0.5002, 0.003])], reference, 'ref', 1e-4);
    expect(off.pass).toBe(false);
    expect(off.relativeDiff).toBeCloseTo(0.0002 / 0.907, 6);
  });

  it('fails a backend that returns zeros for a real detection map (an absolute 1e-4 tolerance on a near-zero map passed it)', async () => {
    const { tensorParity } = await import('../src/harness/tensor-parity.js');
    expect(tensorParity([out('map', [1, 4], [0, 0, 0, 0])], reference, 'ref', 1e-4).pass).toBe(false);
    // A flat reference is no evidence either way: reported, not passed.
    const flat = tensorParity(
      [out('map', [1, 4], [0, 0, 0, 0])],
      [out('map', [1, 4], [2e-7, 1e-7, 2e-7, 1e-7])],
      'ref',
      1e-4,
    );
    expect(flat).toMatchObject({
      pass: false,
      problem: "the reference's map is flat (range 1.0e-7): nothing to compare",
    });
  });

  it('fails an empty output list, a missing or extra output, other dims, and NaN', async () => {
    const { tensorParity } = await import('../src/harness/tensor-parity.js');
    expect(tensorParity([], reference, 'ref', 1e-4)).toMatchObject({
      pass: false,
      problem: 'the cell returned no outputs',
    });
    expect(tensorParity([out('other', [1, 4], [0.02, 0.91, 0.5, 0.003])], reference, 'ref', 1e-4)).toMatchObject({
      pass: false,
      problem: "outputs other differ from the reference's map",
    });
    expect(tensorParity([out('map', [4, 1], [0.02, 0.91, 0.5, 0.003])], reference, 'ref', 1e-4)).toMatchObject({
      pass: false,
      problem: 'output map has dims [4, 1], the reference [1, 4]',
    });
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
