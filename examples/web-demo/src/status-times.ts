import type { Page } from 'playwright-core';

interface StatusWindow {
  statusTimes: Record<string, number>;
  statusObserver?: MutationObserver;
}

/**
 * Starts recording, in page time, when the demo's status first turns each state (busy: the image is handed to the
 * worker; done or error: the page shows the outcome). The status is reset to idle; one observer at a time.
 */
export async function watchStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as StatusWindow;
    w.statusObserver?.disconnect();
    w.statusTimes = {};
    const status = document.querySelector('#status') as HTMLElement;
    status.dataset.state = 'idle';
    w.statusObserver = new MutationObserver(() => (w.statusTimes[status.dataset.state ?? ''] ??= performance.now()));
    w.statusObserver.observe(status, { attributes: true });
  });
}

/** When the status last watched turned busy and then done (NaN for a state it has not reached). */
export async function busyToDone(page: Page): Promise<{ from: number; to: number }> {
  const times = await page.evaluate(() => (window as unknown as StatusWindow).statusTimes);
  return { from: times.busy ?? Number.NaN, to: times.done ?? Number.NaN };
}
