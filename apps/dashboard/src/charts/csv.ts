import Papa from 'papaparse';
import type { TableData } from './chart-types';

/**
 * CSV of a table's raw values (unformatted numbers, so a spreadsheet reads them as numbers); the header row is
 * the table's column titles. Dutch (the default) is written the way Excel with Dutch regional settings opens
 * it in columns: semicolons between fields and a decimal comma. English is RFC 4180: commas and decimal
 * points. Both start with a UTF-8 byte order mark, without which Excel misreads accents ("Patiëntnummer").
 * Texts that start like a formula get a leading apostrophe (CSV injection); numbers, also negative, do not.
 */
/**
 * What a spreadsheet reads as the start of a formula: = + - @, tab and carriage return (OWASP CSV injection),
 * and their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), which Excel in East Asian locales and some
 * import paths fold to the ASCII sign.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function toCsv(table: TableData, language = 'nl'): string {
  const dutch = language.startsWith('nl');
  const raw = (value: string | number | null) => {
    if (value === null) return '';
    if (typeof value === 'number') return dutch ? String(value).replace('.', ',') : String(value);
    // A text that a spreadsheet would run as a formula (a practice name "=HYPERLINK(...)") is kept as text.
    return FORMULA_START.test(value) ? `'${value}` : value;
  };
  const body = Papa.unparse(
    { fields: table.head, data: table.rows.map((row) => row.map((c) => raw(c.value))) },
    { delimiter: dutch ? ';' : ',', newline: '\r\n', quotes: false },
  );
  return `\uFEFF${body}\r\n`;
}
