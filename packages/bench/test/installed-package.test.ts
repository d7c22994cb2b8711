import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel } from '@polyinfer/core';
import type { BenchReport } from '../src/bench-cli.js';
import { assertReport } from '../src/bench-cli.js';

const run = promisify(execFile);
const MINUTE = 60_000;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'bench-installed-'));
const packs = join(work, 'packs');
const project = join(work, 'project');
// The registry is reachable, nothing else is: onnxruntime-node's install script (GPU providers) must not run.
const env = {
  ...process.env,
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
};
const hasChromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

// As a user outside this repository would: the packages as they would be published (packed from the built
// workspace), installed with npm into an empty project, and the command run through npx.
beforeAll(async () => {
  mkdirSync(packs);
  mkdirSync(project);
  await run('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', packs], {
    cwd: ROOT,
    env,
    maxBuffer: 64 * 2 ** 20,
  });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'bench-user', version: '1.0.0', private: true, type: 'module' }),
  );
  const tarballs = readdirSync(packs)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(packs, f));
  await run('npm', ['install', '--no-audit', '--no-fund', ...tarballs], { cwd: project, env, maxBuffer: 64 * 2 ** 20 });
}, 10 * MINUTE);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('polyinfer bench from packages installed with npm', () => {
  it('packs every package but the workspace-only ones', () => {
    const names = readdirSync(packs).map((f) => f.replace(/-\d+\.\d+\.\d+\.tgz$/, ''));
    expect(names).toEqual(
      expect.arrayContaining(['polyinfer-bench', 'polyinfer-cli', 'polyinfer-browser-rig', 'polyinfer-model-fixtures']),
    );
  });

  it(
    'runs a quick benchmark — built-in models, a user model, Node and Chromium cells — and writes the three reports',
    { timeout: 10 * MINUTE },
    async () => {
      writeFileSync(
        join(project, 'mine.onnx'),
        buildOnnxModel({
          inputs: [{ name: 'x', dtype: 'float32', dims: ['N', 16] }],
          outputs: [{ name: 'y', dtype: 'float32', dims: ['N', 16] }],
          nodes: [{ op: 'Softsign', inputs: ['x'], outputs: ['y'] }],
        }),
      );
      const backends = ['ort-node:cpu', 'ort-web:wasm@node', 'ort-web:wasm@chromium'].join(',');
      const { stderr } = await run(
        'npx',
        [
          'polyinfer',
          'bench',
          '--quick',
          '--out',
          'r',
          '--models',
          'ppocr-cls-192,squeezenet',
          '--backends',
          backends,
          '--model',
          'mine.onnx',
          '--shape',
          'x=2x16',
        ],
        { cwd: project, env, maxBuffer: 64 * 2 ** 20 },
      );
      expect(stderr).toMatch(/reports: .*report\.json, report\.md, report\.html/);
      const report: BenchReport = assertReport(
        JSON.parse(readFileSync(join(project, 'r', 'report.json'), 'utf8')),
        'the installed run',
      );
      for (const file of ['report.md', 'report.html'])
        expect(readFileSync(join(project, 'r', file), 'utf8').length).toBeGreaterThan(500);
      // The model set travelled with the package: squeezenet ran from @polyinfer/model-fixtures inside node_modules.
      const cells = (model: string) => report.cells.filter((c) => c.model === model);
      for (const model of ['ppocr-cls-192', 'squeezenet', 'mine']) {
        const node = cells(model).filter((c) => c.environment === 'node');
        expect(node.map((c) => [c.backend, c.status])).toEqual([
          ['ort-node', 'ok'],
          ['ort-web', 'ok'],
        ]);
        expect(node.every((c) => c.parity?.pass === true)).toBe(true);
      }
      // Browser cells: the page and its server shipped in @polyinfer/browser-rig.
      const browser = report.cells.filter((c) => c.environment === 'chromium');
      expect(browser).toHaveLength(3);
      if (hasChromium)
        expect(browser.map((c) => [c.model, c.status, c.parity?.pass])).toEqual([
          ['ppocr-cls-192', 'ok', true],
          ['squeezenet', 'ok', true],
          ['mine', 'ok', true],
        ]);
      else for (const c of browser) expect(c.reason).toMatch(/Chromium not found at .*apt-get install chromium/);
    },
  );

  it('polyinfer --version answers from the installed package', async () => {
    const { stdout } = await run('npx', ['polyinfer', '--version'], { cwd: project, env });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
