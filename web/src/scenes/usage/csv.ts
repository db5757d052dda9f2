// CSV for spreadsheets: RFC 4180 quoting, and text cells that a spreadsheet would read as a formula (= + - @, and
// the tab and carriage return some also treat so) neutralised with a leading apostrophe (OWASP's CSV injection
// advice). Numbers are written as numbers, so a figure is never altered.
export type Cell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: Cell[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
