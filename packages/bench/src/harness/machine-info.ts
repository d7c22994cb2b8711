import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { cpus, release, totalmem, type as osType } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  chromium?: string;
  libraries: Record<string, string>;
}

/** A dependency's version, found from its entry point (its exports may not expose package.json). */
function versionOf(pkg: string): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(pkg));
    for (; dir !== dirname(dir); dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
      if (json.name === pkg) return json.version;
    }
  } catch {
    // not resolvable from here
  }
  return 'not installed';
}

export function machineInfo(chromium?: string): MachineInfo {
  const info: MachineInfo = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    os: `${osType()} ${release()}`,
    node: process.version,
    libraries: {
      'onnxruntime-node': versionOf('onnxruntime-node'),
      'onnxruntime-web': versionOf('onnxruntime-web'),
      '@polyinfer/core': versionOf('@polyinfer/core'),
      'playwright-core': versionOf('playwright-core'),
    },
  };
  if (chromium) info.chromium = chromium;
  return info;
}
