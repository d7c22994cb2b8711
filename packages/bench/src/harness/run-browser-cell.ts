import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { startRig } from '@polyinfer/browser-rig';
import type { RigWindow, PageCellResult, PageCellSpec, Rig } from '@polyinfer/browser-rig';
import { cellIdentity } from './cell.js';
import type { CellResult, CellSpec, MemoryFigures, SavedOutput } from './cell.js';
import type { ChromiumProcess } from './process-memory.js';
import { chromiumProcesses, peakRssBytes, pssBytes } from './process-memory.js';

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a cell in a fresh Chromium (own renderer and GPU process, so their memory belongs to this cell), through the
 * browser rig's page. Memory: the page's measureUserAgentSpecificMemory, the browser processes' peak RSS (kernel-kept,
 * summed) and their PSS once the cell is done. Nothing samples while the page works: it would compete for 2 cores.
 */
export async function runBrowserCell(spec: CellSpec, timeoutMs: number): Promise<CellResult> {
  const base = cellIdentity(spec);
  const started = performance.now();
  const files: Record<string, string> = {};
  const pageSpec: PageCellSpec =
    spec.model.kind === 'tensor'
      ? {
          kind: 'tensor' as const,
          backend: spec.backend,
          device: spec.device,
          modelUrl: `/bench/${basename(spec.model.path)}`,
          inputs: spec.model.inputs.map(({ name, dims, dtype, file }) => ({
            name,
            dims,
            ...(dtype ? { dtype } : {}),
            ...(file ? { url: `/bench/inputs/${basename(file)}` } : {}),
          })),
          input: spec.model.input,
          seed: spec.model.seed,
          wasmThreads: spec.settings.wasmThreads,
          settings: spec.settings,
        }
      : {
          kind: 'task' as const,
          task: spec.model.task,
          backend: spec.backend,
          device: spec.device,
          ...(spec.model.modelPath ? { modelUrl: `/bench/${basename(spec.model.modelPath)}` } : {}),
          imageUrls: spec.model.images.map((i) => `/bench/${basename(i)}`),
          wasmThreads: spec.settings.wasmThreads,
          settings: spec.settings,
        };
  if (spec.model.kind === 'tensor') {
    files[`/bench/${basename(spec.model.path)}`] = spec.model.path;
    for (const { file } of spec.model.inputs) if (file) files[`/bench/inputs/${basename(file)}`] = file;
  } else {
    for (const image of spec.model.images) files[`/bench/${basename(image)}`] = image;
    if (spec.model.modelPath) files[`/bench/${basename(spec.model.modelPath)}`] = spec.model.modelPath;
  }

  const before = new Set(chromiumProcesses().map((p) => p.pid));
  let rig: Rig | undefined;
  try {
    rig = await startRig({ files, webgpu: true });
    const ours = (): ChromiumProcess[] => chromiumProcesses().filter((p) => !before.has(p.pid));
    const sum = (read: (pid: number) => number, processes: ChromiumProcess[], type?: string): number =>
      processes.filter((p) => type === undefined || p.type === type).reduce((total, p) => total + read(p.pid), 0);
    const page: Page = await rig.newPage();
    const outcome = await withTimeout(
      page
        .evaluate((s) => (window as unknown as RigWindow).rig.benchCell(s), pageSpec)
        .then(
          (value) => ({ value }),
          (error: Error) => ({ error }),
        ),
      timeoutMs,
    );
    const now = ours();
    const memory: MemoryFigures = {
      peakProcessRssSumBytes: sum(peakRssBytes, now),
      endPssBytes: sum(pssBytes, now),
      rendererPssBytes: sum(pssBytes, now, 'renderer'),
      gpuProcessPssBytes: sum(pssBytes, now, 'gpu-process'),
    };
    if (outcome === 'timeout')
      return {
        ...base,
        status: 'timeout',
        reason: `did not finish within ${Math.round(timeoutMs / 1000)} s`,
        memory,
        wallMs: performance.now() - started,
      };
    if ('error' in outcome) {
      const message = outcome.error.message.replace(/^page\.evaluate: /, '').split('\n')[0] ?? '';
      const unavailable =
        /DEVICE_UNAVAILABLE|is unavailable:|BACKEND_UNAVAILABLE/.test(message) || /is unavailable/.test(message);
      return {
        ...base,
        status: unavailable ? 'unavailable' : 'error',
        reason: message,
        memory,
        wallMs: performance.now() - started,
      };
    }
    const r: PageCellResult = outcome.value;
    if (r.userAgentSpecificBytes !== undefined) memory.userAgentSpecificBytes = r.userAgentSpecificBytes;
    const outputs: SavedOutput[] = r.outputs.map((o) => {
      const file = join(spec.outputDir, `${spec.id}-${o.name.replace(/[^\w.-]/g, '_')}.bin`);
      writeFileSync(file, Buffer.from(o.base64, 'base64'));
      return { name: o.name, dtype: o.dtype, dims: o.dims, file };
    });
    const { userAgentSpecificBytes: _bytes, outputs: _outputs, ...figures } = r;
    const result: CellResult = {
      ...base,
      status: 'ok',
      ...figures,
      concurrency: r.concurrency ?? null,
      memory,
      outputs,
      wallMs: performance.now() - started,
    };
    return result;
  } catch (error) {
    return {
      ...base,
      status: 'error',
      reason: (error as Error).message.split('\n')[0] ?? String(error),
      wallMs: performance.now() - started,
    };
  } finally {
    await rig?.close();
  }
}
