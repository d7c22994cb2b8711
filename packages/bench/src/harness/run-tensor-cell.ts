import { join } from 'node:path';
import type { BackendRegistry, Feeds, Session } from '@polyinfer/core';
import { remoteEntry } from '@polyinfer/backends';
import { readBackRun, runScenarios, sessionSubject } from '@polyinfer/bench-core';
import { imageLikeTensor, seededUniformTensor } from '@polyinfer/core/testing';
import { cellIdentity } from './cell.js';
import type { CellResult, CellSpec, SavedOutput } from './cell.js';
import { cpuPerRun } from './cpu-per-run.js';
import { readTensorFile, writeTensorFile } from './tensor-file.js';

export function makeFeeds(spec: CellSpec, session: Session): Feeds {
  if (spec.model.kind !== 'tensor') throw new Error('not a tensor model');
  const model = spec.model;
  const feeds: Feeds = {};
  for (const info of session.inputs) {
    const given = model.inputs.find((i) => i.name === info.name);
    const dims = given?.dims ?? info.dims.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    // A prepared file (a real image, or a user model's input of any dtype) is what every cell feeds.
    if (given?.file) feeds[info.name] = readTensorFile(given.file, given.dtype ?? 'float32', dims);
    else if (info.dtype !== 'float32')
      throw new Error(`input ${info.name} is ${info.dtype} and has no prepared values`);
    else
      feeds[info.name] = model.input === 'image-like' ? imageLikeTensor(dims) : seededUniformTensor(dims, model.seed);
  }
  return feeds;
}

/** Runs one model × backend:device cell in this process; the caller isolates it (child process). */
export async function runTensorCell(spec: CellSpec, registry: BackendRegistry): Promise<Omit<CellResult, 'wallMs'>> {
  const base = cellIdentity(spec);
  if (spec.model.kind !== 'tensor') throw new Error('runTensorCell needs a tensor model');
  const t0 = performance.now();
  // A server knows the model by the name `polyinfer serve` gives it: the descriptor id, else the bench id.
  const remote = remoteEntry().name;
  const backendOptions =
    spec.backend === remote ? { [remote]: { model: spec.model.aliases?.[0] ?? spec.model.id } } : {};
  const session = await registry.createSession(spec.model.path, {
    backend: spec.backend,
    devices: [spec.device],
    strict: true,
    backendOptions,
  });
  const sessionCreateMs = performance.now() - t0;
  try {
    const feeds = makeFeeds(spec, session);
    const run = readBackRun(session, feeds);
    const t1 = performance.now();
    const first = await run();
    const firstInferenceMs = performance.now() - t1;
    const outputs: SavedOutput[] = Object.entries(first).map(([name, t]) => {
      const file = join(spec.outputDir, `${spec.id}-${name.replace(/[^\w.-]/g, '_')}.bin`);
      writeTensorFile(file, t);
      return { name, dtype: t.dtype, dims: [...t.dims], file };
    });

    const cpu = cpuPerRun();
    const figures = await runScenarios({ ...sessionSubject(session, feeds, first), ...cpu.hooks }, spec.settings);
    return {
      ...base,
      status: 'ok',
      sessionCreateMs,
      firstInferenceMs,
      ...figures,
      cpuMsPerInference: cpu.ms(),
      outputs,
    };
  } finally {
    await session.dispose();
  }
}
