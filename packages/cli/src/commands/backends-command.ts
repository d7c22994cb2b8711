import type { CliIo } from '../cli-io.js';
import { createCliRegistry } from '../cli-registry.js';

/** Every backend and device, whether it can run here, and why not. */
export async function backendsCommand(options: { json?: boolean }, io: CliIo): Promise<number> {
  const reports = await createCliRegistry(io, { quiet: true }).report();
  if (options.json) {
    io.out(`${JSON.stringify(reports, null, 2)}\n`);
    return 0;
  }
  const rows: string[][] = [];
  for (const r of reports) {
    if (!r.available) rows.push([r.backend, '*', `unavailable: ${r.reason ?? ''}`]);
    for (const d of r.devices) {
      const label = d.device + (d.experimental ? ' (experimental)' : '');
      rows.push([r.backend, label, d.available ? 'available' : `unavailable: ${d.reason}`]);
    }
  }
  const widths = [0, 1].map((c) => Math.max(...rows.map((row) => (row[c] as string).length), c === 0 ? 7 : 6));
  io.out(`${'backend'.padEnd(widths[0] as number)}  ${'device'.padEnd(widths[1] as number)}  status\n`);
  for (const row of rows) io.out(`${(row[0] as string).padEnd(widths[0] as number)}  ${(row[1] as string).padEnd(widths[1] as number)}  ${row[2]}\n`);
  return 0;
}
