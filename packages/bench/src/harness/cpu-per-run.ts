import type { ScenarioSubject } from '@polyinfer/bench-core';

/**
 * CPU time per single-stream run of this process, counted from the end of the warm-up to the last timed run: the
 * hooks go into a ScenarioSubject, the figure is read once the scenarios are done.
 */
export function cpuPerRun(): { hooks: Pick<ScenarioSubject, 'onWarm' | 'onSteadyDone'>; ms: () => number } {
  let before = process.cpuUsage();
  let ms = Number.NaN;
  return {
    hooks: {
      onWarm: () => {
        before = process.cpuUsage();
      },
      onSteadyDone: (samples) => {
        const cpu = process.cpuUsage(before);
        ms = (cpu.user + cpu.system) / 1000 / samples;
      },
    },
    ms: () => ms,
  };
}
