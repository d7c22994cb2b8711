const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `**bold**` and `` `code` `` inside an escaped cell or paragraph: the only inline Markdown the reports write. */
const inline = (s: string): string =>
  escape(s)
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
    .replace(/`([^`]+)`/g, '<code>$1</code>');

const cellsOf = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/**
 * The number a cell sorts by: its first figure ("✓ 2.6e-5 of range" → 2.6e-5, "762 PSS" → 762), or none, and then
 * the cell sorts as text.
 */
export function sortValue(cell: string): number | undefined {
  const match = /[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?/i.exec(cell);
  return match ? Number(match[0]) : undefined;
}

function tableHtml(rows: string[]): string {
  const [head = '', , ...body] = rows;
  const headers = cellsOf(head);
  const th = headers.map((h) => `<th scope="col"><button type="button">${inline(h)}</button></th>`).join('');
  const tr = body
    .map((row) => {
      const cells = cellsOf(row);
      // A row that did not run spans its reason over the figure columns (the Markdown writes empty cells).
      const filled = cells.filter((c, i) => i < 2 || c !== '');
      if (filled.length === 2 && cells.length > 2)
        return `<tr class="not-run"><th scope="row">${inline(filled[0]!)}</th><td colspan="${headers.length - 1}">${inline(filled[1]!)}</td></tr>`;
      return `<tr>${cells
        .map((c, i) => {
          const value = sortValue(c);
          const data = value === undefined ? '' : ` data-value="${value}"`;
          return i === 0 ? `<th scope="row">${inline(c)}</th>` : `<td${data}>${inline(c)}</td>`;
        })
        .join('')}</tr>`;
    })
    .join('');
  return `<table class="sortable"><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

/**
 * The reports' Markdown (tables and short paragraphs) as HTML: every table a real `<table>` whose columns sort, every
 * other line a paragraph.
 */
export function markdownBlocksToHtml(lines: readonly string[]): string {
  const html: string[] = [];
  let table: string[] = [];
  const flush = (): void => {
    if (table.length >= 2) html.push(tableHtml(table));
    table = [];
  };
  for (const line of lines) {
    if (line.trim().startsWith('|')) {
      table.push(line);
      continue;
    }
    flush();
    if (line.trim() !== '') html.push(`<p>${inline(line)}</p>`);
  }
  flush();
  return html.join('\n');
}

/**
 * A click on a column's header sorts its table by that column (figures as numbers, the rest as text; again to reverse).
 * The only script of the report: inline, no network.
 */
export const SORT_SCRIPT = `for (const table of document.querySelectorAll('table.sortable')) {
  table.querySelectorAll('thead th').forEach((th, column) => {
    th.querySelector('button').addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('thead th').forEach((h) => h.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const key = (row) => {
        const cell = row.children[column];
        const value = cell && cell.dataset.value;
        return value === undefined ? (cell ? cell.textContent : '') : Number(value);
      };
      const rows = [...table.tBodies[0].rows].filter((r) => !r.classList.contains('not-run'));
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
      for (const row of rows) table.tBodies[0].insertBefore(row, table.tBodies[0].querySelector('tr.not-run'));
    });
  });
}`;
