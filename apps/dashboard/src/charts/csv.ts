import Papa from 'papaparse';
import { escapeCsvFormula } from '@copd/domain';
import type { TableData } from './chart-types';

/** A number written with exactly `decimals` decimals (390 -> "390,00"), still a number to a spreadsheet. */
export interface FixedNumber {
  fixed: number;
  decimals: number;
}

export type CsvValue = string | number | FixedNumber | null;

/** `value` rounded to `decimals` as the screen rounds it (toFixed on the double, as format.ts does); null stays null. */
export function fixed(value: number | null | undefined, decimals: number): FixedNumber | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : { fixed: value, decimals };
}

/**
 * CSV of a table's raw values (unformatted numbers, so a spreadsheet reads them as numbers); the header row is
 * the table's column titles. Dutch (the default) is written the way Excel with Dutch regional settings opens
 * it in columns: semicolons between fields and a decimal comma. English is RFC 4180: commas and decimal
 * points. Both start with a UTF-8 byte order mark, without which Excel misreads accents ("Patiëntnummer").
 * Texts that start like a formula get a leading apostrophe (CSV injection); numbers, also negative, do not.
 */
export function toCsv(table: TableData, language = 'nl'): string {
  return rowsToCsv(table.head, table.rows.map((row) => row.map((c) => c.value)), language);
}

/** The CSV of a header and rows of raw values; the format of `toCsv`. */
export function rowsToCsv(head: string[], rows: CsvValue[][], language = 'nl'): string {
  const dutch = language.startsWith('nl');
  const decimal = (text: string) => (dutch ? text.replace('.', ',') : text);
  const raw = (value: CsvValue) => {
    if (value === null) return '';
    if (typeof value === 'number') return decimal(String(value));
    if (typeof value === 'object') {
      // Avoid "-0,00" for a value that rounds to zero.
      const text = value.fixed.toFixed(value.decimals);
      return decimal(Number(text) === 0 ? (0).toFixed(value.decimals) : text);
    }
    // A text that a spreadsheet would run as a formula (a practice name "=HYPERLINK(...)") is kept as text.
    return escapeCsvFormula(value);
  };
  const body = Papa.unparse(
    { fields: head, data: rows.map((row) => row.map(raw)) },
    { delimiter: dutch ? ';' : ',', newline: '\r\n', quotes: false },
  );
  return `\uFEFF${body}\r\n`;
}

/** Download a CSV built in the browser as `<name>.csv`. */
export function downloadCsv(name: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}.csv`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
