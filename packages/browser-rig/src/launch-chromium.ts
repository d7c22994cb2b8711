import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export class ChromiumNotFoundError extends Error {
  constructor(path: string) {
    super(`Chromium not found at ${path}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
    this.name = 'ChromiumNotFoundError';
  }
}

export interface LaunchOptions {
  /** Start Chromium with WebGPU enabled (a SwiftShader software adapter where there is no GPU). Default true. */
  webgpu?: boolean;
  executablePath?: string;
}

/**
 * Headless Debian Chromium that never reaches outside 127.0.0.1 (every other host resolves to nothing), with
 * memory measurement answering at once.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) throw new ChromiumNotFoundError(executablePath);
  const args = [
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-domain-reliability',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    '--enable-blink-features=ForceEagerMeasureMemory',
  ];
  if (options.webgpu ?? true) args.push('--enable-unsafe-webgpu');
  return chromium.launch({ executablePath, args, headless: true });
}
