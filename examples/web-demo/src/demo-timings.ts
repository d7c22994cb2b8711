import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '@polyinfer/browser-rig';
import { serveDemo } from './serve-demo.js';
import { busyToDone, watchStatus } from './status-times.js';

/**
 * The web demo timed as a user meets it: headless Chromium opens the page, and each image of a folder is opened
 * through the file input twice, the second timing counted (from handing the file over to the status saying done,
 * measured in the page). The first image after opening the page is reported too: that is the warm start.
 *
 *   node examples/web-demo/dist/demo-timings.js DIR [ort-web:wasm]
 */

interface Timing {
  image: string;
  ms: number;
  lines: number;
  /** The page's own table for this run: stage name → ms (decode image, detection, recognition, …, total). */
  stages: Record<string, number>;
}

async function openImage(page: Page, file: string): Promise<Timing> {
  await watchStatus(page);
  // Through the file input as a user would; emptied first, since choosing the file it already holds changes nothing.
  await page.locator('#file').setInputFiles([]);
  await page.locator('#file').setInputFiles(file);
  await page.waitForFunction(
    () => ['done', 'error'].includes(document.querySelector<HTMLElement>('#status')?.dataset.state ?? ''),
    undefined,
    { timeout: 120_000 },
  );
  const status = (await page.locator('#status').textContent()) ?? '';
  if (!status.startsWith('done')) throw new Error(`${file}: ${status}`);
  const { from, to } = await busyToDone(page);
  const stages = await page.$$eval('#timings tr', (rows) =>
    Object.fromEntries(
      (rows as HTMLTableRowElement[]).map((row) => [
        row.cells[0]?.textContent ?? '',
        Number.parseFloat(row.cells[1]?.textContent ?? ''),
      ]),
    ),
  );
  return {
    image: file.split('/').pop() as string,
    ms: to - from,
    lines: await page.locator('#lines li').count(),
    stages,
  };
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

export async function demoTimings(
  dir: string,
  device = 'ort-web:wasm',
): Promise<{ warmStartMs: number; timings: Timing[] }> {
  const images = readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
  const server = await serveDemo();
  const browser = await launchChromium({ webgpu: device.endsWith('webgpu') });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('ready'), undefined, {
      timeout: 120_000,
    });
    const input = page.locator(`label[data-device="${device}"] input`);
    if (!(await input.isChecked())) await input.check();
    // As a user: the page is open, models load and the pipeline warms up while an image is picked (a few seconds).
    await page.waitForFunction(
      () => document.querySelector('#loading-text')?.textContent?.startsWith('models loaded'),
      undefined,
      { timeout: 120_000 },
    );
    await page.waitForTimeout(5_000);
    const warmStartMs = (await openImage(page, images[0] as string)).ms;
    const timings: Timing[] = [];
    for (const image of images) {
      await openImage(page, image);
      timings.push(await openImage(page, image));
    }
    return { warmStartMs, timings };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = resolve(process.argv[2] ?? 'ocr-test-set');
  const device = process.argv[3] ?? 'ort-web:wasm';
  const { warmStartMs, timings } = await demoTimings(dir, device);
  const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  for (const t of timings) console.log(`${t.image.padEnd(28)} ${t.ms.toFixed(0).padStart(6)} ms  ${t.lines} lines`);
  console.log(
    `\n${device}, ${timings.length} images: median ${median.toFixed(0)} ms, p90 ${quantile(sorted, 0.9).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms, over 1 s: ${sorted.filter((ms) => ms > 1000).length}`,
  );
  // Stage medians from the page's table; what the user waits beyond the pipeline's total is messaging and drawing.
  const medianOf = (values: number[]): number =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  for (const stage of Object.keys(timings[0]?.stages ?? {}))
    console.log(
      `  ${stage.padEnd(26)} median ${medianOf(timings.map((t) => t.stages[stage] ?? Number.NaN)).toFixed(1)} ms`,
    );
  console.log(
    `  ${'beyond the pipeline'.padEnd(26)} median ${medianOf(timings.map((t) => t.ms - (t.stages.total ?? Number.NaN))).toFixed(1)} ms`,
  );
  const same = timings[0] as Timing;
  console.log(
    `first image after opening the page (${same.image}): ${warmStartMs.toFixed(0)} ms = ${(warmStartMs / same.ms).toFixed(2)}× its warm time`,
  );
}
