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
  printTable(io, ['backend', 'device', 'status'], rows);
  const capabilities = reports.flatMap((r) =>
    r.capabilities
      ? [
          [
            r.backend,
            r.capabilities.runPolicy,
            r.capabilities.options.join(', ') || 'none',
            r.capabilities.backendOptions.join(', ') || 'none',
          ],
        ]
      : [],
  );
  io.out('\n');
  printTable(io, ['backend', 'concurrent runs', 'session options honoured', 'backendOptions'], capabilities);
  // A model with an input or output of another dtype is refused at load (UNSUPPORTED_DTYPE).
  const dtypes = reports.flatMap((r) => (r.capabilities ? [[r.backend, r.capabilities.dtypes.join(', ')]] : []));
  io.out('\n');
  printTable(io, ['backend', 'tensor dtypes it runs'], dtypes);
  return 0;
}

function printTable(io: CliIo, header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] as number))).join('  ');
  io.out(`${line(header)}\n`);
  for (const row of rows) io.out(`${line(row)}\n`);
}
