import type { ScenarioFigures, ScenarioName, ScenarioSettings, ScenarioSubject } from '../scenarios.js';

/** One figure compared between two reports, and which way is better. */
export interface ScenarioMetric {
  name: string;
  better: 'lower' | 'higher';
  of(figures: Partial<ScenarioFigures>): number | null | undefined;
}

/** A measured subject as a report shows it: its target's name and its figures. */
export interface MeasuredRow {
  target: string;
  figures: Partial<ScenarioFigures>;
}

/**
 * One load scenario, whole: what it runs (reading the figures of the scenarios it comes after), which figure of
 * ScenarioFigures it fills, what a comparison of two reports reads of it, and its section of the Markdown report. A
 * new scenario is one module and one entry in LOAD_SCENARIOS; runScenarios and the reports loop over them.
 */
export interface LoadScenario {
  readonly name: ScenarioName;
  /** Scenarios whose figures this one reads, so they run first when asked for (single-stream always runs). */
  readonly after: readonly ScenarioName[];
  run(
    subject: ScenarioSubject,
    settings: ScenarioSettings,
    earlier: Partial<ScenarioFigures>,
  ): Promise<Partial<ScenarioFigures>>;
  readonly metrics: readonly ScenarioMetric[];
  /** Markdown lines for the report (none when no row measured it). */
  reportSection?(rows: readonly MeasuredRow[]): string[];
}

export const ms = (v: number | undefined): string =>
  v === undefined ? '' : v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2);
