import { dirname, relative, sep } from 'node:path';
import type { Page } from 'playwright-core';
import type { Feeds } from '@polyinfer/core';
import { startRig, tensorFromWire, tensorToWire } from '@polyinfer/browser-rig';
import type { PageCaseResult, PageCaseSpec, Rig, RigWindow } from '@polyinfer/browser-rig';
import type { CaseLane } from './case-lane.js';
import type { CaseJob, CaseOutcome } from './case-outcome.js';
import { messageOf } from './case-outcome.js';
import { checkOutputs, readCaseData } from './case-data.js';

/** Targets that run in Chromium through the browser rig: "backend:device@chromium". */
export const BROWSER_TARGET_NAMES = [
  'ort-web:wasm@chromium',
  'ort-web:webgpu@chromium',
  'tfjs:wasm@chromium',
  'tfjs:webgl@chromium',
  'tfjs:webgpu@chromium',
] as const;

export const isBrowserTarget = (name: string): boolean => name.endsWith('@chromium');

/** A Chromium with the rig's page, serving the cases' folders on 127.0.0.1, for one browser target's lanes. */
export interface BrowserHost {
  backend: string;
  device: string;
  rig: Rig;
  modelUrl(modelPath: string): string;
  close(): Promise<void>;
}

/**
 * Starts Chromium for a browser target and asks the page whether its device exists there; throws with the reason when
 * not (the target is then reported unavailable, not every case refused).
 */
export async function startBrowserHost(target: string, modelPaths: readonly string[]): Promise<BrowserHost> {
  const [backend, device] = target.replace(/@chromium$/, '').split(':') as [string, string];
  // Each folder of case folders (node/, pytorch-converted/, …) served under a prefix of its own.
  const roots = [...new Set(modelPaths.map((p) => dirname(dirname(p))))];
  const mounts = Object.fromEntries(roots.map((root, i) => [`/onnx-data/${i}/`, root]));
  const rig = await startRig({ mounts, webgpu: true });
  try {
    const page = await rig.newPage();
    const status = await page.evaluate(([d, b]) => (window as unknown as RigWindow).rig.probe(d as string, b), [
      device,
      backend,
    ] as const);
    await page.close();
    if (!status.available) throw new Error(`${target} is unavailable here: ${status.reason}`);
  } catch (error) {
    await rig.close();
    throw error;
  }
  return {
    backend,
    device,
    rig,
    modelUrl(modelPath) {
      const index = roots.indexOf(dirname(dirname(modelPath)));
      const path = relative(roots[index] as string, modelPath)
        .split(sep)
        .map(encodeURIComponent)
        .join('/');
      return new URL(`onnx-data/${index}/${path}`, rig.url).href;
    },
    close: () => rig.close(),
  };
}

async function closePage(page: Page): Promise<void> {
  // A renderer stuck in a kernel may not answer a polite close; the browser's own close at the end takes it down.
  await Promise.race([
    page.close({ runBeforeUnload: false }).catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 10_000)),
  ]);
}

/** Closes a page once it has opened; one that never opened has nothing to close. */
async function closeOpened(page: Promise<Page>): Promise<void> {
  const opened = await page.catch(() => undefined);
  if (opened) await closePage(opened);
}

/** One page's run of a case, as an outcome: the page hands back outputs, Node compares them with onnx's rule. */
function outcomeOf(
  result: PageCaseResult,
  dataSets: Exclude<ReturnType<typeof readCaseData>, Omit<CaseOutcome, 'ms'>>,
): Omit<CaseOutcome, 'ms'> {
  if (result.refused) return { status: 'refused', code: result.refused.code, detail: result.refused.message };
  if (result.runError) return { status: 'run-error', code: result.runError.code, detail: result.runError.message };
  for (const [index, set] of dataSets.entries()) {
    const outputs = result.outputs?.[index] ?? [];
    const results: Feeds = Object.fromEntries(outputs.map((w) => [w.name, tensorFromWire(w)]));
    const wrong = checkOutputs(index, set, results);
    if (wrong) return wrong;
  }
  return { status: 'pass' };
}

/**
 * A browser target's lane: cases one after another in a page of their own, the page replaced (a new renderer) after
 * any case that does not pass, with a spare page loaded ahead.
 */
export class BrowserLane implements CaseLane {
  #current: Promise<Page>;
  #spare: Promise<Page>;

  constructor(
    private readonly host: BrowserHost,
    private readonly timeoutMs: number,
  ) {
    this.#current = this.#open();
    this.#spare = this.#open();
  }

  async run(job: CaseJob): Promise<CaseOutcome> {
    const started = performance.now();
    const done = (outcome: Omit<CaseOutcome, 'ms'>): CaseOutcome => ({
      ...outcome,
      ms: Math.round(performance.now() - started),
    });
    const dataSets = readCaseData(job);
    if (!Array.isArray(dataSets)) return done(dataSets);
    let page: Page;
    try {
      page = await this.#current;
    } catch (error) {
      // A page that would not load (a busy machine past the rig's wait) costs this case, not the target.
      await this.#replace();
      return done({ status: 'crash', detail: `the page did not open: ${messageOf(error)}` });
    }
    const spec: PageCaseSpec = {
      backend: this.host.backend,
      device: this.host.device,
      modelUrl: this.host.modelUrl(job.modelPath),
      dataSets: dataSets.map((set) => Object.entries(set.inputs).map(([name, t]) => tensorToWire(name, t))),
    };
    const outcome = await this.#ask(page, spec).then(
      (answer) => ('status' in answer ? answer : outcomeOf(answer, dataSets)),
      (error: unknown) => ({ status: 'run-error' as const, code: 'ERROR', detail: messageOf(error) }),
    );
    if (outcome.status !== 'pass') await this.#replace();
    return done(outcome);
  }

  async close(): Promise<void> {
    for (const page of [this.#current, this.#spare]) await closeOpened(page);
  }

  #open(): Promise<Page> {
    const page = this.host.rig.newPage();
    page.catch(() => undefined);
    return page;
  }

  async #replace(): Promise<void> {
    const old = this.#current;
    this.#current = this.#spare;
    this.#spare = this.#open();
    await closeOpened(old);
  }

  #ask(page: Page, spec: PageCaseSpec): Promise<PageCaseResult | Omit<CaseOutcome, 'ms'>> {
    return new Promise((resolve, reject) => {
      const finish = (answer: PageCaseResult | Omit<CaseOutcome, 'ms'>): void => {
        clearTimeout(timer);
        page.off('crash', onCrash);
        resolve(answer);
      };
      const onCrash = (): void => finish({ status: 'crash', detail: 'the page crashed' });
      const timer = setTimeout(
        () => finish({ status: 'timeout', detail: `no answer within ${Math.round(this.timeoutMs / 1000)} s` }),
        this.timeoutMs,
      );
      page.once('crash', onCrash);
      page
        .evaluate((s) => (window as unknown as RigWindow).rig.conformanceCase(s), spec)
        .then(finish, (error: unknown) => {
          clearTimeout(timer);
          page.off('crash', onCrash);
          reject(error);
        });
    });
  }
}
