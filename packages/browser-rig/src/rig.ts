import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './launch-chromium.js';
import type { LaunchOptions } from './launch-chromium.js';
import { startRigServer } from './rig-server.js';
import type { RigServer, RigServerOptions } from './rig-server.js';

export interface Rig {
  url: string;
  browser: Browser;
  /** A fresh page (own renderer memory) with the rig loaded and ready. */
  newPage(path?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Server + browser, ready for page.evaluate(() => window.rig.…). Close it: it owns a Chromium process. */
export async function startRig(options: RigServerOptions & LaunchOptions = {}): Promise<Rig> {
  const server: RigServer = await startRigServer(options);
  let browser: Browser;
  try {
    browser = await launchChromium(options);
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    url: server.url,
    browser,
    async newPage(path = 'index.html') {
      const page = await browser.newPage();
      await page.goto(new URL(path, server.url).href);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, {
        timeout: 60_000,
      });
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Decodes the page's base64 float arrays. */
export function floatsOfBase64(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}
