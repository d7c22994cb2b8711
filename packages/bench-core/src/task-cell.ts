import type { ScenarioFigures, ScenarioSettings, ScenarioSubject } from './scenarios.js';
import { inputSetSettings, runScenarios } from './scenarios.js';
import type { BenchTask, TaskOpenOptions } from './bench-tasks.js';

export interface TaskCellFigures extends ScenarioFigures {
  sessionCreateMs: number;
  firstInferenceMs: number;
  /** Each image's result as the task summarises it (keyed by the image's file name), for parity. */
  summaries: Record<string, unknown>;
}

/**
 * One task cell: open the pipeline, read every image once (the first inference, and what parity compares), then run
 * the scenarios with the images in turn. The Node cells and the browser page both run this.
 */
export async function runTaskCell(
  task: BenchTask,
  open: TaskOpenOptions,
  images: readonly string[],
  settings: ScenarioSettings,
  hooks: Partial<Pick<ScenarioSubject, 'onWarm' | 'onSteadyDone'>> = {},
): Promise<TaskCellFigures> {
  const t0 = performance.now();
  const pipeline = await task.open(open);
  const sessionCreateMs = performance.now() - t0;
  try {
    const summaries: Record<string, unknown> = {};
    const t1 = performance.now();
    for (const image of images) summaries[image.split('/').pop() as string] = task.summary(await pipeline.run(image));
    const firstInferenceMs = (performance.now() - t1) / images.length;
    let next = 0;
    const figures = await runScenarios(
      {
        run: () => pipeline.run(images[next++ % images.length] as string),
        batch: async () => task.batchNote,
        ...hooks,
      },
      inputSetSettings(settings, images.length, firstInferenceMs),
    );
    return { sessionCreateMs, firstInferenceMs, ...figures, summaries };
  } finally {
    await pipeline.dispose();
  }
}
