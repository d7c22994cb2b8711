import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '@polyinfer/browser-rig';

const DOCS = fileURLToPath(new URL('../', import.meta.url));
const MINUTE = 60_000;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

let site: string;
let server: Server;
let origin: string;

/** The built site's files served from 127.0.0.1 as any static host would (`/` is index.html). */
function serveStatic(root: string): Promise<Server> {
  const s = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) file = `${file}.html`;
    if (!existsSync(file)) {
      response.writeHead(404, { 'content-type': TYPES['.html']! }).end(readFileSync(join(root, '404.html')));
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

const htmlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });

beforeAll(async () => {
  // The site as `pnpm docs:build` builds it (VitePress fails the build on a link to a page that does not exist).
  site = mkdtempSync(join(tmpdir(), 'docs-site-'));
  await promisify(execFile)(
    process.execPath,
    [join(DOCS, 'node_modules', 'vitepress', 'bin', 'vitepress.js'), 'build', DOCS, '--outDir', site],
    { cwd: DOCS, maxBuffer: 16 * 2 ** 20 },
  );
  server = await serveStatic(site);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 5 * MINUTE);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (site) rmSync(site, { recursive: true, force: true });
});

describe('the docs site', () => {
  it('links only to pages and files it has', () => {
    const missing: string[] = [];
    for (const file of htmlFiles(site)) {
      const html = readFileSync(file, 'utf8');
      for (const [, href] of html.matchAll(/href="(\/[^"#?]*)[^"]*"/g)) {
        const target = join(site, href!);
        const found =
          existsSync(target) ||
          existsSync(`${target.replace(/\/$/, '')}.html`) ||
          existsSync(join(target, 'index.html'));
        if (!found) missing.push(`${file.slice(site.length)} → ${href}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('renders its home page and every page in Chromium, with no console errors', { timeout: 5 * MINUTE }, async () => {
    const pages: [string, string][] = [
      ['/', 'polyinfer'],
      ['/guide/getting-started.html', 'Getting started'],
      ['/guide/backends.html', 'Backends and devices'],
      ['/guide/ocr.html', 'OCR'],
      ['/guide/serving.html', 'Serving: the Open Inference Protocol'],
      ['/guide/benchmarking.html', 'Benchmarking backends'],
      ['/reference/conformance-coverage.html', 'Conformance coverage by case'],
      ['/reference/architecture.html', 'Architecture'],
      ['/reference/errors.html', 'Errors'],
      ['/reference/faq.html', 'FAQ and troubleshooting'],
    ];
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
      for (const [path, heading] of pages) {
        const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
        expect(response?.status(), path).toBe(200);
        const h1 = page.locator(path === '/' ? '.VPHero .name' : '.vp-doc h1').first();
        expect((await h1.textContent())?.replace(/\s+/g, ' ').trim(), path).toContain(heading);
        // The sidebar (or the home page's features) rendered: the theme's script ran.
        expect(await page.locator(path === '/' ? '.VPFeature' : '.VPSidebarItem').count(), path).toBeGreaterThan(3);
      }
      // Every other page of the site renders its heading too.
      const named = new Set(pages.map(([path]) => path));
      const rest = htmlFiles(site)
        .map((file) => file.slice(site.length).replace(/\\/g, '/'))
        .filter((path) => path !== '/index.html' && path !== '/404.html' && !path.startsWith('/reports/'))
        .filter((path) => !named.has(path));
      expect(rest.length).toBeGreaterThan(5);
      for (const path of rest) {
        const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
        expect(response?.status(), path).toBe(200);
        expect((await page.locator('.vp-doc h1').first().textContent())?.trim(), path).not.toBe('');
      }
      // Generated tables are there as tables.
      await page.goto(`${origin}/reference/errors.html`);
      expect(await page.locator('.vp-doc table tbody tr', { hasText: 'SHAPE_MISMATCH' }).count()).toBe(1);
      // The benchmarking page embeds a real report: its summary and tables render inside the frame.
      await page.goto(`${origin}/guide/benchmarking.html`);
      const report = page.frameLocator('iframe.bench-report');
      expect(await report.locator('#summary table.summary tbody tr').count()).toBeGreaterThan(0);
      expect(await report.locator('table.machine').textContent()).toContain('onnxruntime-node');
      // A page that is not there is the theme's 404, not a blank page.
      const missing = await page.goto(`${origin}/guide/no-such-page.html`);
      expect(missing?.status()).toBe(404);
      expect(await page.locator('.NotFound').textContent()).toMatch(/not found/i);
      expect(problems.filter((p) => !p.includes('no-such-page'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
