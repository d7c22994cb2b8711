import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@polyinfer/browser-rig';
import type { RigServer } from '@polyinfer/browser-rig';
import { sampleGroundTruth } from '@polyinfer/models';
import { serveDemo } from '../src/serve-demo.js';

const MINUTES = 60_000;
// Screenshots are kept as test artifacts (git-ignored).
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const truth = sampleGroundTruth();

let server: RigServer;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serveDemo();
});
afterAll(() => server?.close());

async function openDemo(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('ready'), undefined, { timeout: 2 * MINUTES });
  return page;
}

async function readSample(page: Page, device: string, sample: string): Promise<string[]> {
  await page.locator(`label[data-device="${device}"] input`).check();
  await page.locator(`button[data-sample="${sample}"]`).click();
  await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector<HTMLElement>('#status')?.dataset.state ?? ''), undefined, { timeout: 8 * MINUTES });
  expect(await page.locator('#status').getAttribute('data-state'), (await page.locator('#status').textContent()) ?? '').toBe('done');
  return page.locator('#lines .text').allTextContents();
}

describe('web demo in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
    page = await openDemo(browser);
  }, 3 * MINUTES);
  afterAll(() => browser?.close());

  it('offers each device this browser supports', async () => {
    expect(await page.locator('label.device.available').evaluateAll((ls) => ls.map((l) => (l as HTMLElement).dataset.device))).toEqual(['ort-web:webgpu', 'ort-web:wasm', 'tfjs:webgpu', 'tfjs:webgl', 'tfjs:wasm']);
  });

  it('reads a sample on wasm: recognised lines, a box per line, timings, the device used', { timeout: 5 * MINUTES }, async () => {
    const lines = await readSample(page, 'ort-web:wasm', 'receipt.png');
    expect(lines).toEqual(truth['receipt.png']);
    expect(await page.locator('#boxes polygon').count()).toBe(lines.length);
    // The boxes sit on the text: the first box's left edge is where "CORNER CAFE" starts on screen (±6 px).
    const [image, box] = await Promise.all([page.locator('#image').boundingBox(), page.locator('#boxes polygon').first().boundingBox()]);
    const scale = (image?.width ?? 0) / 520;
    expect(Math.abs((box?.x ?? 0) - (image?.x ?? 0) - 130 * scale)).toBeLessThan(6);
    expect(await page.locator('#device-used').textContent()).toContain('ort-web:wasm');
    expect(await page.locator('#timings td', { hasText: 'recognition' }).count()).toBe(1);
    expect(await page.locator('#loading-text').textContent()).toMatch(/models loaded \(\d+\.\d MB\)/);
    await page.screenshot({ path: `${ARTIFACTS}web-demo-wasm.png`, fullPage: true });
  });

  it('reads a sample on TensorFlow.js wasm, the same ONNX files through the importer', { timeout: 5 * MINUTES }, async () => {
    const lines = await readSample(page, 'tfjs:wasm', 'fonts.png');
    expect(lines).toEqual(truth['fonts.png']);
    expect(await page.locator('#boxes polygon').count()).toBe(lines.length);
    expect(await page.locator('#device-used').textContent()).toContain('tfjs:wasm');
    await page.screenshot({ path: `${ARTIFACTS}web-demo-tfjs-wasm.png`, fullPage: true });
  });

  // The page's GPU path once, on a short sample (SwiftShader here: minutes per OCR). tfjs on WebGL and WebGPU read the
  // same sample in packages/browser-rig/test/tfjs-browser.test.ts; running them again through the page would only
  // repeat several minutes of software rendering.
  for (const device of ['ort-web:webgpu']) {
    it(`reads a sample on ${device} with the same text`, { timeout: 10 * MINUTES }, async () => {
      const lines = await readSample(page, device, 'dark.png');
      expect(lines).toEqual(truth['dark.png']);
      expect(await page.locator('#boxes polygon').count()).toBe(lines.length);
      expect(await page.locator('#device-used').textContent()).toContain(device);
      await page.screenshot({ path: `${ARTIFACTS}web-demo-${device.replace(':', '-')}.png`, fullPage: true });
    });
  }
});

describe('web demo in a Chromium without WebGPU', () => {
  it('shows WebGPU as unavailable with the reason, not a crash', { timeout: 3 * MINUTES }, async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await openDemo(browser);
      const webgpu = page.locator('label[data-device="ort-web:webgpu"]');
      expect(await webgpu.getAttribute('class')).toContain('unavailable');
      expect(await webgpu.locator('input').isDisabled()).toBe(true);
      expect(await webgpu.locator('.reason').textContent()).toMatch(/unavailable: .*WebGPU/);
      expect(await page.locator('label[data-device="tfjs:webgpu"] .reason').textContent()).toMatch(/unavailable: .*WebGPU/);
      expect(await page.locator('label[data-device="ort-web:wasm"] input').isChecked()).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
