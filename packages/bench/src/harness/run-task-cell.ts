import type { BackendRegistry } from '@polyinfer/core';
import { benchTask, runTaskCell as runCell } from '@polyinfer/bench-core';
import type { CellResult, CellSpec } from './cell.js';
import { cellIdentity } from './cell.js';
import { cpuPerRun } from './cpu-per-run.js';

/** A task's whole pipeline in this process, one image per timed sample (cycling through the folder); summaries kept for parity. */
export async function runTaskCell(spec: CellSpec, registry: BackendRegistry): Promise<Omit<CellResult, 'wallMs'>> {
  if (spec.model.kind !== 'task') throw new Error('runTaskCell needs a task model');
  const cpu = cpuPerRun();
  const open = {
    registry,
    backend: spec.backend,
    device: spec.device,
    ...(spec.model.modelPath ? { model: spec.model.modelPath } : {}),
  };
  const figures = await runCell(benchTask(spec.model.task), open, spec.model.images, spec.settings, cpu.hooks);
  return {
    ...cellIdentity(spec),
    status: 'ok',
    ...figures,
    concurrency: figures.concurrency ?? null,
    cpuMsPerInference: cpu.ms(),
  };
}
