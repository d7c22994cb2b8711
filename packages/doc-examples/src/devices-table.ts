import { BACKEND_CATALOGUE } from '@polyinfer/backends';

/**
 * Every backend × device of the catalogue as a Markdown table — package, where the device can exist (Node, browsers),
 * what it is — from the device tables the backends declare (the ones `polyinfer backends` and the registry read).
 */
export async function devicesTable(): Promise<string> {
  const rows: string[] = [];
  for (const entry of BACKEND_CATALOGUE) {
    const { devices } = await entry.load();
    for (const device of devices) {
      const environments = (device.environments ?? entry.environments).map((e) => (e === 'node' ? 'Node' : 'browsers'));
      const notes = [
        device.description ?? '',
        device.experimental ? '(experimental)' : '',
        device.slow ? `(slow: ${device.slow})` : '',
      ]
        .filter(Boolean)
        .join(' ');
      rows.push(
        `| \`${entry.name}\` | \`${device.name}\` | ${environments.join(', ')} | ${notes.replace(/\|/g, '\\|')} |`,
      );
    }
  }
  return ['| backend | device | runs in | what |', '|---|---|---|---|', ...rows].join('\n');
}
