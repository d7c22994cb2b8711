import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cellIdentity } from './cell.js';
import type { CellResult, CellSpec } from './cell.js';

// The child always runs the compiled entry (tests import this module from src/ through vitest).
const CELL_MAIN = fileURLToPath(new URL('./node-cell-main.js', import.meta.url)).replace(
  /\/src\/harness\/node-cell-main\.js$/,
  '/dist/harness/node-cell-main.js',
);

/** Runs a cell in a fresh Node process, killed at `timeoutMs`; a crash or hang becomes the cell's result. */
export async function runNodeCell(spec: CellSpec, timeoutMs: number): Promise<CellResult> {
  const specFile = join(spec.outputDir, `${spec.id}.spec.json`);
  const resultFile = join(spec.outputDir, `${spec.id}.result.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  const started = performance.now();
  const base = cellIdentity(spec);
  const { code, signal, stderr, timedOut } = await new Promise<{
    code: number | null;
    signal: string | null;
    stderr: string;
    timedOut: boolean;
  }>((resolve) => {
    const child = spawn(process.execPath, [CELL_MAIN, specFile, resultFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, timedOut });
    });
  });
  const wallMs = performance.now() - started;
  if (timedOut)
    return { ...base, status: 'timeout', reason: `did not finish within ${Math.round(timeoutMs / 1000)} s`, wallMs };
  if (!existsSync(resultFile)) {
    const last = stderr.trim().split('\n').slice(-3).join(' | ');
    return {
      ...base,
      status: 'error',
      reason: `the cell process ended (code ${code}, signal ${signal}) without a result${last ? `: ${last}` : ''}`,
      wallMs,
    };
  }
  return JSON.parse(readFileSync(resultFile, 'utf8')) as CellResult;
}
