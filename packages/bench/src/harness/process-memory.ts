import { readdirSync, readFileSync } from 'node:fs';

export interface ChromiumProcess {
  pid: number;
  type: string;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Chromium processes alive now (Linux /proc), with their --type (browser for the main one). */
export function chromiumProcesses(): ChromiumProcess[] {
  const out: ChromiumProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const cmd = cmdline(pid);
    if (!/chromium|chrome/.test(cmd.split(' ')[0] ?? '')) continue;
    out.push({ pid, type: /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser' });
  }
  return out;
}

/** Proportional set size of a process in bytes (shared pages split among their users), 0 if it is gone. */
export function pssBytes(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * The process's peak resident set size in bytes (VmHWM: kept by the kernel, so nothing has to sample it), 0 if it is
 * gone. Cheap to read, unlike PSS: smaps_rollup walks the page tables, ~30 ms per read of a browser holding a wasm
 * heap, and sampling it every 250 ms slowed the page it measured by up to 2×.
 */
export function peakRssBytes(pid: number): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}
