import type { Feeds } from '@polyinfer/core';
import { createRegistry } from '@polyinfer/core';
import { tensorFromBytes, tensorToBytes, toV2Datatype } from '@polyinfer/v2-protocol';
import { benchTask, readBackRun, runScenarios, runTaskCell, sessionSubject } from '@polyinfer/bench-core';
import { imageLikeTensor, seededUniformTensor } from '@polyinfer/core/testing';
import { registerCatalogue, wasmConfigs } from '@polyinfer/backends';
import type { PageCellResult, PageCellSpec } from '../src/page-types.js';
import { OCR_MODEL_MANIFEST } from '@polyinfer/models';

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function pageMemory(): Promise<number | undefined> {
  const perf = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
  if (!perf.measureUserAgentSpecificMemory) return undefined;
  // It does not answer while wasm thread workers live (~60 s): bounded, and then absent from the report (the
  // renderer's PSS, read from outside, still is).
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2_000));
  return (await Promise.race([perf.measureUserAgentSpecificMemory(), timeout]))?.bytes;
}

function withMemory(result: PageCellResult, bytes: number | undefined): PageCellResult {
  return bytes === undefined ? result : { ...result, userAgentSpecificBytes: bytes };
}

/** One benchmark cell inside the page, measured as the Node cells are. */
export async function benchCell(spec: PageCellSpec, wasmPaths: string): Promise<PageCellResult> {
  const registry = registerCatalogue(
    createRegistry(),
    'browser',
    wasmConfigs({ paths: wasmPaths, threads: spec.wasmThreads ?? 2 }),
  );
  if (spec.kind === 'task') {
    // The same cell the Node harness runs (@polyinfer/bench-core); OCR reads the simplified files the rig's manifest lists.
    const open = {
      registry,
      backend: spec.backend,
      device: spec.device,
      modelManifestUrl: `/models/${OCR_MODEL_MANIFEST}`,
      ...(spec.modelUrl ? { model: spec.modelUrl } : {}),
    };
    const figures = await runTaskCell(benchTask(spec.task as string), open, spec.imageUrls ?? [], spec.settings);
    return withMemory({ ...figures, outputs: [] }, await pageMemory());
  }
  const t0 = performance.now();
  const session = await registry.createSession(spec.modelUrl as string, {
    backend: spec.backend,
    devices: [spec.device],
    strict: true,
  });
  const sessionCreateMs = performance.now() - t0;
  try {
    const feeds: Feeds = {};
    for (const info of session.inputs) {
      const given = spec.inputs?.find((i) => i.name === info.name);
      const dims = given?.dims ?? info.dims.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
      // A prepared file (a real image, or a user model's input of any dtype) in the binary tensor layout the Node cells read.
      if (given?.url)
        feeds[info.name] = tensorFromBytes(
          toV2Datatype(given.dtype ?? 'float32'),
          dims,
          new Uint8Array(await (await fetch(given.url)).arrayBuffer()),
        );
      else
        feeds[info.name] = spec.input === 'random' ? seededUniformTensor(dims, spec.seed ?? 1) : imageLikeTensor(dims);
    }
    const run = readBackRun(session, feeds);
    const t1 = performance.now();
    const first = await run();
    const firstInferenceMs = performance.now() - t1;
    const figures = await runScenarios(sessionSubject(session, feeds, first), spec.settings);
    const outputs = Object.entries(first).map(([name, t]) => ({
      name,
      dtype: t.dtype,
      dims: [...t.dims],
      base64: base64Of(tensorToBytes(t)),
    }));
    return withMemory({ sessionCreateMs, firstInferenceMs, ...figures, outputs }, await pageMemory());
  } finally {
    await session.dispose();
  }
}
