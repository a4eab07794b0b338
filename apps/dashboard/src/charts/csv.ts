import type { TableData } from './chart-types';

/**
 * RFC 4180 CSV of a table's raw values (numbers with a decimal point, so other tools read them as
 * numbers); the header row is the table's column titles.
 */
export function toCsv(table: TableData): string {
  const quote = (value: string | number | null) => {
    if (value === null) return '';
    const text = String(value);
    return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [table.head.map(quote).join(','), ...table.rows.map((row) => row.map((c) => quote(c.value)).join(','))].join('\r\n') + '\r\n';
}
